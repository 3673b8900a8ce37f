"""A RabbitMQ vhost and PostgreSQL databases of the test session's own."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import psycopg2
from kombu import Connection
from psycopg2.extensions import ISOLATION_LEVEL_AUTOCOMMIT
from sqlalchemy import make_url

from common import config
from common.migrate import upgrade

PG_ADMIN_DSN = os.environ.get("TEST_PG_DSN", "host=127.0.0.1 port=5432 user=postgres")
PG_URL = os.environ.get("TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")
AMQP_BASE = os.environ.get("TEST_AMQP_BASE", "amqp://guest:guest@127.0.0.1:5672")


def run_id() -> str:
    return uuid.uuid4().hex[:8]


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True)


def create_vhost(name: str) -> str:
    """A vhost of our own: a running development platform cannot take our messages."""
    _rabbitmqctl("add_vhost", name)
    _rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
    return f"{AMQP_BASE}/{quote(name, safe='')}"


def delete_vhost(name: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], capture_output=True)


def queues(amqp_uri: str) -> dict[str, dict[str, Any]]:
    """The vhost's queues by name, as the broker sees them: `type`,
    `durable`, `auto_delete`, `exclusive`, `messages` and `arguments` (a
    dict; the management plugin is not enabled here, so `rabbitmqctl`)."""
    vhost = Connection(amqp_uri).virtual_host
    done = subprocess.run(
        [
            *("rabbitmqctl", "-q", "list_queues", "-p", vhost, "--formatter", "json"),
            *("name", "type", "durable", "auto_delete", "exclusive", "messages"),
            "arguments",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    rows = json.loads(done.stdout or "[]")
    for row in rows:
        row["arguments"] = {key: value for key, _, value in row["arguments"]}
        row["exclusive"] = row["exclusive"] is True
    return {row["name"]: row for row in rows}


def _admin() -> psycopg2.extensions.connection:
    conn = psycopg2.connect(PG_ADMIN_DSN + " dbname=postgres")
    conn.set_isolation_level(ISOLATION_LEVEL_AUTOCOMMIT)
    return conn


@contextmanager
def full_server() -> Iterator[str]:
    """A database URL the server refuses every connection to, as it does
    with `max_connections` reached: a role of our own whose connection
    limit is 0 (SQLSTATE 53300, too_many_connections, like "sorry, too many
    clients already"). The role is dropped afterwards."""
    role = f"t_full_{uuid.uuid4().hex[:8]}"
    conn = _admin()
    try:
        with conn.cursor() as cur:
            cur.execute(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 0')
        try:
            yield (
                make_url(PG_URL)
                .set(username=role, database="postgres")
                .render_as_string()
            )
        finally:
            with conn.cursor() as cur:
                cur.execute(f'DROP ROLE "{role}"')
    finally:
        conn.close()


def create_database(name: str) -> str:
    conn = _admin()
    try:
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    return f"{PG_URL}/{name}"


def terminate_connections(name: str) -> None:
    """Close every session on database `name`, as a server restart would."""
    conn = _admin()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
    finally:
        conn.close()


def drop_database(name: str) -> None:
    terminate_connections(name)
    conn = _admin()
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        conn.close()


@contextmanager
def scratch_database(label: str) -> Iterator[str]:
    """A database of one test's own (its URL), dropped afterwards."""
    name = f"t_{run_id()}_{label}_{uuid.uuid4().hex[:6]}"
    url = create_database(name)
    try:
        yield url
    finally:
        drop_database(name)


def service_databases(prefix: str) -> dict[str, str]:
    """One migrated database per service: `<prefix>_<service>`."""
    urls = {}
    for service in config.SERVICES:
        url = create_database(f"{prefix}_{service}")
        upgrade(service, url)
        urls[service] = url
    return urls
