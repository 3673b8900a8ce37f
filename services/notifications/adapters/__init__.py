"""Tables, repositories and the outside world (members, SMTP, templates)."""
