"""Renewal reminders: 30 and 7 days before the due date, and when grace starts."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from enum import StrEnum

from services.members.domain.invoices import Invoice


class Reminder(StrEnum):
    DUE_IN_30_DAYS = "DUE_IN_30_DAYS"
    DUE_IN_7_DAYS = "DUE_IN_7_DAYS"
    GRACE_STARTED = "GRACE_STARTED"


def _window(invoice: Invoice, reminder: Reminder) -> tuple[date, date]:
    """First and last day on which `reminder` may still go out."""
    due = invoice.due_date
    if reminder is Reminder.DUE_IN_30_DAYS:
        return due - timedelta(days=30), due - timedelta(days=8)
    if reminder is Reminder.DUE_IN_7_DAYS:
        return due - timedelta(days=7), due
    return due + timedelta(days=1), invoice.grace_ends_on


def reminder_due(
    invoice: Invoice, today: date, sent: Collection[Reminder]
) -> Reminder | None:
    """The reminder to send for `invoice` on `today`, if any.

    Each goes once per invoice and never for a paid or void one. A day the job
    missed is caught up while the reminder's window lasts; windows do not
    overlap, so a late run never sends two at once. A "due in 30/7 days"
    reminder is skipped for an invoice issued after that day: the invoice
    itself was the notice.
    """
    if not invoice.is_unpaid:
        return None
    for reminder in Reminder:
        first, last = _window(invoice, reminder)
        if reminder in sent or not first <= today <= last:
            continue
        if reminder is not Reminder.GRACE_STARTED and invoice.issued_on > first:
            continue
        return reminder
    return None


def max_lookahead_days() -> int:
    """How far ahead of its due date an invoice can need a reminder."""
    return 30
