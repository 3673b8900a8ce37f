"""The body of every service's Alembic `env.py` (one copy, not four)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import MetaData, pool

from common.db import make_engine
from common.migrate import compatible_heads, not_bookkeeping, record_compatible_heads


def run(metadata: MetaData) -> None:
    cfg = context.config
    url = cfg.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_name=not_bookkeeping,
        )
        with context.begin_transaction():
            context.run_migrations()
        heads = context.get_context().get_current_heads()
        record_compatible_heads(connection, compatible_heads(context.script, heads))
        # Without transactional DDL (SQLite), Alembic's block above leaves the
        # connection's transaction to its caller: this commit ends it too.
        connection.commit()
