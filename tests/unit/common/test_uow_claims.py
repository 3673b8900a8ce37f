"""An event is claimed once per consumer, however often it comes (SQLite, the
embedded default; PostgreSQL is covered by every service's integration tests)."""

from __future__ import annotations

from sqlalchemy import MetaData, func, select

from common.db import infrastructure_tables, make_engine, make_session_factory
from common.envelope import Envelope
from common.uow import UnitOfWork


def test_a_batch_claims_each_pair_once_and_only_the_new_ones() -> None:
    metadata = MetaData()
    outbox, processed = infrastructure_tables(metadata)
    engine = make_engine("sqlite://")
    metadata.create_all(engine)
    sessions = make_session_factory(engine)
    first, second = (Envelope(type="x", producer="p", payload={}) for _ in range(2))
    with UnitOfWork(sessions, "p", outbox, processed) as uow:
        claimed = uow.claim_many([("c", first), ("c", second), ("c", first)])
        uow.commit()
    assert claimed == {("c", first.event_id), ("c", second.event_id)}
    with UnitOfWork(sessions, "p", outbox, processed) as uow:
        again = uow.claim_many([("c", first), ("d", first)])
        uow.commit()
    assert again == {("d", first.event_id)}
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(processed)).scalar() == 3
