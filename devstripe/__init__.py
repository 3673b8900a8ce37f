"""devstripe: an offline Stripe for development and CI.

One aiohttp process serving localstripe's stateful fake API plus what localstripe
lacks and our dues flow needs: Checkout Sessions with a clickable checkout page,
``charge.refunded`` webhooks, Stripe-style signed webhook delivery with retries,
and test endpoints under ``/_devstripe``. Development-only; never shipped in a
service (localstripe is GPL-3.0). See docs/devstripe.md.
"""

from devstripe.config import Settings

__all__ = ["Settings"]
