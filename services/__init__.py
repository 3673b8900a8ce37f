"""The four services. Each is a package with the same layers:

- `domain/`: rules in plain Python (no nameko, no SQLAlchemy sessions);
- `service_layer/`: handlers that use a unit of work;
- `adapters/`: tables, mappers and repositories;
- `service.py`: the thin nameko entrypoints;
- `migrations/`: Alembic.
"""
