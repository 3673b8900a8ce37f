"""Members use cases: each handler is one unit of work."""
