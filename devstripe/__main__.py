"""``python -m devstripe``: run the emulator in the foreground."""

from __future__ import annotations

import logging

from aiohttp import web

from common.production import refuse_in_production
from devstripe.app import build_app
from devstripe.config import parse_settings


def main() -> None:
    refuse_in_production("devstripe")  # an offline Stripe: never in production
    settings = parse_settings()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = build_app(settings)
    logging.getLogger("devstripe").info(
        "devstripe on %s, webhooks to %s", settings.base_url, settings.webhook_url
    )
    web.run_app(app, host=settings.host, port=settings.port, print=None)


if __name__ == "__main__":
    main()
