"""The sender beside the service: takes due deliveries and sends them, a few
at a time, until the service stops.

It wakes when a handler recorded new deliveries (or staff resent one), and
otherwise looks every `NOTIFICATIONS_POLL_SECONDS` for retries that came due
and for deliveries a stopped sender had leased. Every hand-off runs in a
green thread of its own, at most `NOTIFICATIONS_SENDERS` at once, each on a
kept SMTP connection.
"""

from __future__ import annotations

import logging
import threading
from functools import partial
from typing import Any, cast

import eventlet
from eventlet.semaphore import Semaphore
from nameko.extensions import DependencyProvider

from common.batching import GroupCommit
from common.config import env
from common.nameko_ext.storage import Storage
from services.notifications.adapters.courier import SmtpCourier
from services.notifications.adapters.settings import Settings
from services.notifications.domain.delivery import Delivery
from services.notifications.service_layer import sending
from services.notifications.service_layer.unit_of_work import UowFactory

log = logging.getLogger(__name__)


class Dispatcher(DependencyProvider):
    """Injects itself: a handler calls `wake()` after recording deliveries."""

    def setup(self) -> None:
        self.settings = Settings.from_env()
        self.courier = SmtpCourier(self.settings)
        self.poll = float(env("NOTIFICATIONS_POLL_SECONDS", "1"))
        storage = next(
            dep for dep in self.container.dependencies if isinstance(dep, Storage)
        )
        self.uow = cast(UowFactory, storage.new_uow)  # its uow_class
        self._storage = storage  # its clock, once set up
        self._wake = threading.Event()  # green under eventlet's monkey patch
        self._running = False
        self._slots = Semaphore(self.settings.senders)
        self._pool = eventlet.GreenPool(self.settings.senders)
        # Outcomes of hand-offs that finish together share one transaction.
        self._outcomes: GroupCommit[Delivery, None] = GroupCommit()

    def start(self) -> None:
        self._running = True
        self.container.spawn_managed_thread(self._run)

    def stop(self) -> None:
        self._running = False
        self._wake.set()
        # Let hand-offs under way finish and be recorded.
        with eventlet.Timeout(self.settings.smtp.timeout + 5, False):
            self._pool.waitall()
        self.courier.mailer.close()

    def kill(self) -> None:
        self._running = False
        self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    def get_dependency(self, worker_ctx: Any) -> Dispatcher:
        return self

    def _run(self) -> None:
        backoff = 0.5
        while self._running:
            slots = self._free_slots()
            self._wake.clear()
            try:
                taken = sending.take_due(self.uow, self.settings.lease, slots)
                backoff = 0.5
            except Exception:
                log.exception("could not take due notifications; trying again")
                taken = []
                eventlet.sleep(backoff)
                backoff = min(backoff * 2, 30)
            for _ in range(slots - len(taken)):
                self._slots.release()
            for delivery in taken:
                self._pool.spawn_n(self._send, delivery)
            if not taken and self._running:
                self._wake.wait(self.poll)

    def _free_slots(self) -> int:
        """Wait for a free sender; under load, for half of them, so that one
        take serves several hand-offs rather than one each."""
        self._slots.acquire()
        slots, enough = 1, max(1, self.settings.senders // 2)
        while slots < self.settings.senders:
            if self._slots.acquire(blocking=False):
                slots += 1
            elif slots >= enough or self._pool.running() == 0:
                break
            elif self._slots.acquire(timeout=0.05):
                slots += 1
            else:
                break
        return slots

    def _send(self, delivery: Delivery) -> None:
        try:
            handed = sending.hand_over(
                self.courier, self.settings.retry, delivery, self._storage.clock.now
            )
            self._outcomes.submit(handed, partial(sending.record, self.uow))
        except Exception:
            # Its outcome could not be recorded: the lease runs out and it is
            # taken again (the same Message-ID).
            log.exception("notification %s: outcome not recorded", delivery.id)
        finally:
            self._slots.release()
