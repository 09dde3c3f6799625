"""Delivering the outbox: claim a due message, send it, record the outcome.

A message is claimed by one conditional UPDATE that pushes its `next_try_at` past a lease
(status still pending, due now): two workers, or the after-commit attempt and the retry command,
never send the same message at the same time, on PostgreSQL and SQLite alike, without holding
a lock while talking to the gateway. A worker that dies mid-send leaves the message due again
once the lease is over. Failures are retried with exponential back-off; after
MOTCUA_NOTIFY_MAX_TRIES attempts the message is parked as failed for an operator to look at.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone

from notifications.models import Channel, Notification
from notifications.redaction import text_redacted
from notifications.sms import SmsError, sms_gateway

log = logging.getLogger(__name__)
Status = Notification.Status
# How long a claimed message is reserved for the worker sending it.
LEASE_SECONDS = 120


def backoff_delay(tries: int) -> float:
    """Seconds before attempt tries+1: base · 2^(tries−1), capped."""
    base = settings.MOTCUA_NOTIFY_BACKOFF_BASE * (2 ** max(tries - 1, 0))
    return min(base, settings.MOTCUA_NOTIFY_BACKOFF_MAX)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0


def _claim(pk: int, now: datetime) -> bool:
    return bool(Notification.objects
                .filter(pk=pk, status=Status.PENDING, next_try_at__lte=now)
                .update(next_try_at=now + timedelta(seconds=LEASE_SECONDS)))


def _send(n: Notification) -> str:
    """One attempt; returns the provider's id, raises on failure."""
    if n.channel == Channel.SMS:
        gateway = sms_gateway()
        if gateway is None:
            raise SmsError("MOTCUA_SMS_URL chưa được cấu hình")
        return gateway.send(to=n.recipient, text=n.body, ref=str(n.pk))
    EmailMessage(subject=n.subject, body=n.body, from_email=settings.DEFAULT_FROM_EMAIL,
                 to=[n.recipient]).send()
    return ""


def notification_attempt(n: Notification) -> bool:
    """Send a claimed message once and record the outcome; True when it went out."""
    try:
        provider_id = _send(n)
    except Exception as exc:  # any failure of a gateway or mail server is retried
        tries = n.tries + 1
        error = f"{type(exc).__name__}: {exc}"[:1000]
        if tries >= settings.MOTCUA_NOTIFY_MAX_TRIES:
            log.warning("notifications: parking %s after %s tries: %s", n.pk, tries, error)
            Notification.objects.filter(pk=n.pk).update(
                status=Status.FAILED, tries=F("tries") + 1, last_error=error)
        else:
            Notification.objects.filter(pk=n.pk).update(
                tries=F("tries") + 1, last_error=error,
                next_try_at=timezone.now() + timedelta(seconds=backoff_delay(tries)))
        return False
    # Sent: the person has the secrets now, and the row keeps none (notifications/redaction.py).
    Notification.objects.filter(pk=n.pk).update(
        status=Status.SENT, tries=F("tries") + 1, sent_at=timezone.now(), last_error="",
        provider_id=provider_id[:100], body=text_redacted(n.body, n.secrets),
        subject=text_redacted(n.subject, n.secrets), secrets=[])
    return True


def notifications_deliver(*, ids: list[int] | None = None, batch: int = 100,
                          now: datetime | None = None) -> DeliveryResult:
    """Send the due pending messages (or only `ids`), oldest due first."""
    now = now or timezone.now()
    due = Notification.objects.filter(status=Status.PENDING, next_try_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=ids)
    result = DeliveryResult()
    for pk in list(due.order_by("next_try_at", "pk").values_list("pk", flat=True)[:batch]):
        if not _claim(pk, now):
            continue  # someone else took it meanwhile
        n = Notification.objects.get(pk=pk)
        if notification_attempt(n):
            result.sent += 1
        else:
            result.failed += 1
    return result


def notification_resend(*, notification: Notification) -> None:
    """An operator puts a parked message back in line (after fixing the number, the gateway…)."""
    Notification.objects.filter(pk=notification.pk, status=Status.FAILED).update(
        status=Status.PENDING, tries=0, next_try_at=timezone.now())
