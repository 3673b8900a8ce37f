"""What services and the gateway know about each other: the wire.

`events.py` catalogues every event type and its payload; `rpc.py` has every
RPC method as a Protocol the service implements (checked by mypy);
`<service>.py` holds each service's enums and the views its methods return;
`page.py` the one page shape and cursor codec. This package is the only
code services share about one another: a service never imports another
service's code.
"""
