"""What waits for staff, asked of the services that own it over RPC (as the
platform's service identity) and of the broker (the dead-letter queues).

The four calls and the broker's count run at once, under one deadline
(`NOTIFICATIONS_DIGEST_TIMEOUT_SECONDS`): a service that does not answer in
time, or is not there, makes the whole digest UNAVAILABLE rather than a
digest that says nothing waits where nobody looked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import eventlet
from nameko.exceptions import UnknownService
from nameko.rpc import ServiceProxy

from common.config import SERVICES, env
from common.deadletters import count_dead_letters
from common.errors import Unavailable
from common.nameko_ext.rpc import RpcProxy
from services.notifications.adapters.members import _AsService
from services.notifications.domain import digest as digests
from services.notifications.domain.digest import EXAMPLES, Digest

OWNERS = ("payments", "members", "partnerships", "grants")


class StaffDesk:
    def __init__(self, proxies: dict[str, Any], timeout: float) -> None:
        self._proxies = proxies
        self._timeout = timeout

    def _ask(self) -> dict[str, Any]:
        """The four calls, under way at once."""
        p = self._proxies
        return {
            "payments": p["payments"].held_payments.call_async(EXAMPLES),
            "members": p["members"].list_members.call_async(
                {"population_missing": True}, EXAMPLES
            ),
            "partnerships": p["partnerships"].search_partnerships.call_async(
                {"status": "PENDING"}, EXAMPLES
            ),
            "grants": p["grants"].reports_awaiting_review.call_async(EXAMPLES),
        }

    def gather(self, now: datetime) -> Digest:
        parked = eventlet.spawn(count_dead_letters, SERVICES)
        replies: dict[str, Any] = {}
        waiting_for = "the broker"
        try:
            with eventlet.Timeout(self._timeout):
                asked = self._ask()
                for name, reply in asked.items():
                    waiting_for = name
                    replies[name] = reply.result()
                waiting_for = "the broker"
                counts = parked.wait()
        except eventlet.Timeout:
            raise Unavailable(
                f"{waiting_for} did not answer for the staff digest"
            ) from None
        except UnknownService as exc:
            raise Unavailable(f"{exc} (the staff digest)") from None
        except OSError as exc:  # the broker, for the dead-letter count
            raise Unavailable(f"the broker: {exc} (the staff digest)") from None
        finally:
            parked.kill()  # a no-op once it finished
        return digests.digest(
            payments=replies["payments"],
            members=replies["members"],
            partnerships=replies["partnerships"],
            grants=replies["grants"],
            parked=counts,
            now=now,
        )


class StaffDeskProvider(RpcProxy):
    """Injects a `StaffDesk` (one reply listener serves the four proxies)."""

    def __init__(self) -> None:
        super().__init__("members")

    def setup(self) -> None:
        super().setup()
        self.timeout = float(env("NOTIFICATIONS_DIGEST_TIMEOUT_SECONDS", "10"))

    def get_dependency(self, worker_ctx: Any) -> StaffDesk:
        ctx = _AsService(worker_ctx)
        proxies = {
            name: ServiceProxy(ctx, name, self.rpc_reply_listener, **self.options)
            for name in OWNERS
        }
        return StaffDesk(proxies, self.timeout)
