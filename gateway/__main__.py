"""`python -m gateway`: serve the gateway with uvicorn on GATEWAY_HOST:GATEWAY_PORT."""

from __future__ import annotations

import uvicorn

from common import production, tracing
from common.correlation import setup_logging
from gateway.app import create_app
from gateway.settings import Settings


def main() -> None:
    settings = Settings.from_env()
    production.refuse_to_start("gateway", settings.production_problems())
    setup_logging(settings.log_level)
    tracing.setup("gateway")  # before the schema: it adds its extension then
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,  # keep our handler: every line has its correlation id
        access_log=False,  # CorrelationMiddleware logs each request instead
        lifespan="on",
        # libuv's event loop and a C HTTP parser: ~9% less gateway CPU per
        # directory page than asyncio's loop and h11 (docs/benchmarks.md).
        loop="uvloop",
        http="httptools",
    )


if __name__ == "__main__":
    main()
