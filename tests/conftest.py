"""Session-wide fixtures: the platform on a vhost and databases of its own."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from common import config
from tests.support import infra
from tests.support.platform import Platform


@pytest.fixture(scope="session")
def run_id() -> str:
    return infra.run_id()


@pytest.fixture(scope="session")
def amqp_uri(run_id: str) -> Iterator[str]:
    vhost = f"test-{run_id}"
    yield infra.create_vhost(vhost)
    infra.delete_vhost(vhost)


@pytest.fixture(scope="session")
def database_urls(run_id: str) -> Iterator[dict[str, str]]:
    prefix = f"t_{run_id}"
    urls = infra.service_databases(prefix)
    yield urls
    for service in config.SERVICES:
        infra.drop_database(f"{prefix}_{service}")


@pytest.fixture(scope="session")
def platform(amqp_uri: str, database_urls: dict[str, str]) -> Iterator[Platform]:
    workdir = Path(tempfile.mkdtemp(prefix="platform-test-"))
    plat = Platform(amqp_uri, database_urls, workdir)
    try:
        yield plat
    finally:
        plat.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)
