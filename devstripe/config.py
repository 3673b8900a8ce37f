"""Settings for the emulator, from command-line flags with environment fallbacks."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULT_PORT = 8420
DEFAULT_WEBHOOK_URL = "http://127.0.0.1:8000/webhooks/stripe"
DEFAULT_WEBHOOK_SECRET = "whsec_dev_secret"  # well-known dev value
# Relative to the working directory; var/ is git-ignored in this repo.
DEFAULT_STATE_FILE = "var/devstripe/localstripe.pickle"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    public_url: str = ""
    webhook_url: str = DEFAULT_WEBHOOK_URL
    webhook_secret: str = DEFAULT_WEBHOOK_SECRET
    # None means "every event type", like `stripe listen` with no filter.
    webhook_events: tuple[str, ...] | None = None
    retry_base: float = 1.0
    retry_max_delay: float = 60.0
    max_attempts: int = 20
    webhook_timeout: float = 10.0
    # Empty string keeps localstripe's state in memory only.
    state_file: str = DEFAULT_STATE_FILE
    from_scratch: bool = False
    expiry_sweep_interval: float = 1.0

    @property
    def base_url(self) -> str:
        """URL browsers use to reach us (checkout page links)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        # A wildcard bind address is not something a browser can open.
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"


def _env_float(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name)
    return float(value) if value else default


def parse_settings(
    argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    env = os.environ if env is None else env
    parser = argparse.ArgumentParser(
        prog="python -m devstripe",
        description="Offline Stripe for development: localstripe + Checkout "
        "Sessions + refund webhooks + retried webhook delivery.",
    )
    parser.add_argument("--host", default=env.get("DEVSTRIPE_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=int, default=int(env.get("DEVSTRIPE_PORT", DEFAULT_PORT))
    )
    parser.add_argument(
        "--public-url",
        default=env.get("DEVSTRIPE_PUBLIC_URL", ""),
        help="base URL for checkout page links (default http://HOST:PORT)",
    )
    parser.add_argument(
        "--webhook-url", default=env.get("DEVSTRIPE_WEBHOOK_URL", DEFAULT_WEBHOOK_URL)
    )
    parser.add_argument(
        "--webhook-secret",
        default=env.get("STRIPE_WEBHOOK_SECRET", DEFAULT_WEBHOOK_SECRET),
    )
    parser.add_argument(
        "--webhook-events",
        default=env.get("DEVSTRIPE_WEBHOOK_EVENTS", "*"),
        help="comma-separated event types (fnmatch patterns) to deliver; * = all",
    )
    parser.add_argument(
        "--retry-base",
        type=float,
        default=_env_float(env, "DEVSTRIPE_RETRY_BASE", 1.0),
        help="seconds before the first retry; doubles on each failure",
    )
    parser.add_argument(
        "--retry-max-delay",
        type=float,
        default=_env_float(env, "DEVSTRIPE_RETRY_MAX_DELAY", 60.0),
    )
    parser.add_argument(
        "--max-attempts",
        type=int,
        default=int(env.get("DEVSTRIPE_MAX_ATTEMPTS", "20")),
    )
    parser.add_argument(
        "--webhook-timeout",
        type=float,
        default=_env_float(env, "DEVSTRIPE_WEBHOOK_TIMEOUT", 10.0),
    )
    parser.add_argument(
        "--state-file",
        default=env.get("DEVSTRIPE_STATE_FILE", DEFAULT_STATE_FILE),
        help="where localstripe's state is pickled ('' = memory only)",
    )
    parser.add_argument(
        "--from-scratch",
        action="store_true",
        help="ignore (and overwrite) any existing state file",
    )
    parser.add_argument(
        "--expiry-sweep-interval",
        type=float,
        default=_env_float(env, "DEVSTRIPE_EXPIRY_SWEEP_INTERVAL", 1.0),
    )
    args = parser.parse_args(argv)
    if args.max_attempts < 1:
        parser.error("--max-attempts must be at least 1")
    if args.retry_base <= 0 or args.retry_max_delay <= 0:
        parser.error("retry delays must be positive")
    events = tuple(e.strip() for e in args.webhook_events.split(",") if e.strip())
    return Settings(
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        webhook_events=None if not events or "*" in events else events,
        retry_base=args.retry_base,
        retry_max_delay=args.retry_max_delay,
        max_attempts=args.max_attempts,
        webhook_timeout=args.webhook_timeout,
        state_file=args.state_file,
        from_scratch=args.from_scratch,
        expiry_sweep_interval=args.expiry_sweep_interval,
    )
