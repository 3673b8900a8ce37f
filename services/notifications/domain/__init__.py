"""Pure rules of notifications: what is sent to whom, once, and how it is retried."""
