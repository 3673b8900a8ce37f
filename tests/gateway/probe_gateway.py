"""`python -m tests.gateway.probe_gateway`: the gateway plus `probe_schema`.

Run like `python -m gateway` (same settings, same app factory): only the
schema has the test-only probe fields added.
"""

from __future__ import annotations

import uvicorn

from common.correlation import setup_logging
from gateway.app import create_app
from gateway.schema import DOMAINS
from gateway.settings import Settings
from tests.gateway import probe_schema

if __name__ == "__main__":
    settings = Settings.from_env()
    setup_logging(settings.log_level)
    uvicorn.run(
        create_app(settings, (*DOMAINS, probe_schema)),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
    )
