"""What services know about each other: event types and RPC signatures.

This package is the only code services share about one another. A service
never imports another service's code.
"""
