"""Infrastructure every service shares: config, database, outbox, inbox, events.

Nothing in here knows about members, partnerships, grants or payments.
"""
