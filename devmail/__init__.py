"""devmail: a local SMTP sink for development and tests (never shipped).

`make run` starts it when `SMTP_URL` is not set. It accepts every message on
its SMTP port, keeps each one (one file per Message-ID under
`$DATA_DIR/devmail/`, so a restart keeps them), and shows them on a page of
its own port. A message handed over again with a Message-ID already kept is
counted, not stored twice (`received`), as mail providers file a repeated
Message-ID once.
"""
