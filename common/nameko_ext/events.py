"""`event_handler`: nameko's, with retries and a dead-letter queue.

nameko acks a message whose handler raised and drops it (or, with
requeue_on_error, redelivers it at once, forever). Here a failed message is
republished to a delay queue whose TTL sends it back to the handler's queue,
with exponential back-off; after the last attempt it is parked, with its error,
in the service's dead-letter queue. The original is acked only after the copy
was confirmed by the broker, so a failure never loses the event.
"""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime
from typing import Any

from kombu.pools import producers
from nameko.events import EventHandler

from common import amqp, config

log = logging.getLogger(__name__)

ATTEMPT = "x-attempt"


class RetryingEventHandler(EventHandler):
    def setup(self) -> None:
        super().setup()
        self.policy = config.EventRetry.from_env()
        self.uri = self.container.config.get("AMQP_URI", config.amqp_uri())

    def unpack_message_headers(self, message: Any) -> dict[str, Any]:
        # Only nameko's own headers are context; ours (x-...) stay on the message.
        return {
            key[len("nameko.") :]: value
            for key, value in (message.headers or {}).items()
            if key.startswith("nameko.")
        }

    def handle_message_processed(
        self, message: Any, result: Any = None, exc_info: Any = None
    ) -> None:
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        try:
            self._reroute(message, exc_info)
        except Exception:
            # Broker trouble: put it back rather than lose it.
            log.exception("could not reroute failed event; requeueing it")
            self.queue_consumer.requeue_message(message)
            return
        self.queue_consumer.ack_message(message)

    def _reroute(self, message: Any, exc_info: Any) -> None:
        headers = dict(message.headers or {})
        attempt = int(headers.get(ATTEMPT, 1))
        error = "".join(traceback.format_exception_only(exc_info[0], exc_info[1]))
        queue_name = self.queue.name
        if attempt < self.policy.max_attempts:
            delay = self.policy.delay_ms(attempt)
            target = amqp.retry_queue(queue_name, delay)
            headers[ATTEMPT] = attempt + 1
            log.warning(
                "handler %s failed (attempt %d), retrying in %d ms: %s",
                self.method_name,
                attempt,
                delay,
                error.strip(),
            )
        else:
            target = amqp.dead_letter_queue(self.container.service_name)
            headers.update(
                {
                    "x-original-queue": queue_name,
                    "x-original-exchange": message.delivery_info.get("exchange", ""),
                    "x-original-routing-key": message.delivery_info.get(
                        "routing_key", ""
                    ),
                    "x-attempts": attempt,
                    "x-error": error.strip()[:4000],
                    "x-failed-at": datetime.now(UTC).isoformat(),
                }
            )
            log.error(
                "handler %s failed %d times; parked in %s: %s",
                self.method_name,
                attempt,
                target.name,
                error.strip(),
            )
        with (
            amqp.connection(self.uri) as conn,
            producers[conn].acquire(block=True) as producer,
        ):
            producer.publish(
                message.body,
                exchange=amqp.DEFAULT_EXCHANGE,
                routing_key=target.name,
                declare=[target],
                headers=headers,
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                delivery_mode=2,
                retry=True,
                retry_policy={"max_retries": 3},
            )


event_handler = RetryingEventHandler.decorator
