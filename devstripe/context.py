"""Typed keys for what handlers need from the running application."""

from __future__ import annotations

from aiohttp import web

from devstripe.config import Settings
from devstripe.webhooks import Dispatcher

SETTINGS = web.AppKey("devstripe_settings", Settings)
DISPATCHER = web.AppKey("devstripe_dispatcher", Dispatcher)
