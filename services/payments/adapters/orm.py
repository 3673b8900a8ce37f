"""Tables of the payments database."""

from __future__ import annotations

from sqlalchemy import MetaData

from common.db import infrastructure_tables

metadata = MetaData()
outbox, processed_events = infrastructure_tables(metadata)
