"""Delivering the outbox: claim a batch, send each message, record the portal's answer.

Guarantees (docs/sync.md): a message is marked sent only on the portal's success answer; a
dossier's message n+1 is never sent before message n is sent; two workers never hold the same
message at once (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: the claim runs in an IMMEDIATE
transaction, which holds the database's single write lock); a message whose worker died is
claimed again after MOTCUA_SYNC_LEASE_SECONDS and sent again under the same idempotency key, so
the portal applies it once.
"""

import logging
import random
import time
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from sync.models import Kind, OutboxMessage
from sync.portal_client import PortalClient, PortalUnavailable

log = logging.getLogger(__name__)
Status = OutboxMessage.Status


def backoff_delay(tries: int) -> float:
    """Seconds before attempt tries+1: exponential, capped, with "equal jitter".

    Half of the delay is fixed and half random, so that the workers of many provinces that lost
    the portal at the same moment do not all come back at the same second.
    """
    base = settings.MOTCUA_SYNC_BACKOFF_BASE * (2 ** max(tries - 1, 0))
    delay = min(base, settings.MOTCUA_SYNC_BACKOFF_MAX)
    return delay / 2 + random.uniform(0, delay / 2)


def outbox_claim(*, batch: int, now: datetime | None = None) -> tuple[str, list[OutboxMessage]]:
    """Take up to `batch` messages that are due and first in line for their dossier."""
    now = now or timezone.now()
    lease_over = now - timedelta(seconds=settings.MOTCUA_SYNC_LEASE_SECONDS)
    earlier_unsent = (OutboxMessage.objects
                      .filter(dossier_id=OuterRef("dossier_id"), seq__lt=OuterRef("seq"))
                      .exclude(status=Status.SENT))
    token = str(uuid.uuid4())
    with transaction.atomic():
        due = (OutboxMessage.objects
               .filter(Q(status=Status.PENDING, next_try_at__lte=now)
                       | Q(status=Status.SENDING, claimed_at__lt=lease_over))
               .filter(~Exists(earlier_unsent))
               .order_by("next_try_at", "id"))
        if connection.features.has_select_for_update_skip_locked:
            # Rows another worker is claiming right now are skipped, not waited for.
            due = due.select_for_update(skip_locked=True, of=("self",))
        messages = list(due[:batch])
        if messages:
            # The rest of each claimed dossier's line goes with its first message: no other
            # worker can take those before the first is sent anyway, and sending them in the
            # same round saves one round per message.
            followers = (OutboxMessage.objects
                         .filter(dossier_id__in={m.dossier_id for m in messages})
                         .filter(Q(status=Status.PENDING)
                                 | Q(status=Status.SENDING, claimed_at__lt=lease_over))
                         .exclude(pk__in=[m.pk for m in messages]))
            messages += list(followers)
            messages.sort(key=lambda m: (m.dossier_id, m.seq))
            OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
                status=Status.SENDING, claimed_at=now, claim_token=token)
    return token, messages


# Records per call: the portal's `data` is a list; production sends history rows by ten.
PER_CALL = {Kind.DOSSIER: 50, Kind.PROGRESS: 10}


def _finish(message: OutboxMessage, token: str, **fields) -> bool:
    # Only the claim that still holds the message may record its outcome.
    return bool(OutboxMessage.objects
                .filter(pk=message.pk, claim_token=token, status=Status.SENDING)
                .update(tries=F("tries") + 1, **fields))


def _failed_attempt(message: OutboxMessage, token: str, error: str, permanent: bool) -> None:
    tries = message.tries + 1
    if permanent or tries >= settings.MOTCUA_SYNC_MAX_TRIES:
        log.warning("sync: parking %s after %s tries: %s", message, tries, error)
        _finish(message, token, status=Status.FAILED, last_error=error, claim_token="")
    else:
        _finish(message, token, status=Status.PENDING, last_error=error, claim_token="",
                next_try_at=timezone.now() + timedelta(seconds=backoff_delay(tries)))


def outbox_deliver(*, messages: list[OutboxMessage], token: str,
                   client: PortalClient) -> dict[int, str]:
    """Send claimed messages of one kind in one call and record the outcome of each:
    "sent", "refused" or "unavailable", by message id."""
    first = messages[0]
    try:
        answer = client.send(kind=first.kind, records=[m.payload for m in messages],
                             is_update=first.is_update,
                             keys=[m.idempotency_key for m in messages])
    except PortalUnavailable as exc:
        for m in messages:
            _failed_attempt(m, token, str(exc), permanent=False)
        return dict.fromkeys((m.pk for m in messages), "unavailable")
    if answer.ok:
        (OutboxMessage.objects
         .filter(pk__in=[m.pk for m in messages], claim_token=token, status=Status.SENDING)
         .update(tries=F("tries") + 1, status=Status.SENT, sent_at=timezone.now(),
                 last_error=""))
        return dict.fromkeys((m.pk for m in messages), "sent")
    if answer.permanent and len(messages) > 1:
        # The portal refused the call without saying which record: send each alone, so that
        # only the bad one is parked.
        outcomes: dict[int, str] = {}
        for m in messages:
            outcomes |= outbox_deliver(messages=[m], token=token, client=client)
        return outcomes
    error = f"[{answer.code}] {answer.message}"
    for m in messages:
        _failed_attempt(m, token, error, permanent=answer.permanent)
    return dict.fromkeys((m.pk for m in messages), "refused")


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    # The portal could not be reached: the worker should pause before the next round.
    unavailable: bool = False


def _release(token: str) -> None:
    """Hand back what this claim has not sent: due again at once, no attempt counted."""
    OutboxMessage.objects.filter(claim_token=token, status=Status.SENDING).update(
        status=Status.PENDING, claim_token="")


def _calls(wave: list[OutboxMessage]) -> list[list[OutboxMessage]]:
    groups: dict[tuple[str, bool], list[OutboxMessage]] = {}
    for m in wave:
        groups.setdefault((m.kind, m.is_update), []).append(m)
    return [group[i:i + PER_CALL[kind]] for (kind, _), group in groups.items()
            for i in range(0, len(group), PER_CALL[kind])]


def sync_deliver_batch(*, client: PortalClient, batch: int = 100) -> BatchResult:
    """Claim and send one batch in waves: wave n holds the n-th message of each dossier's line,
    so a dossier's messages go out in order while different dossiers share calls."""
    token, messages = outbox_claim(batch=batch)
    claimed_at = time.monotonic()
    result = BatchResult(claimed=len(messages))
    lines: dict[int, deque[OutboxMessage]] = {}
    for m in messages:
        lines.setdefault(m.dossier_id, deque()).append(m)
    while lines:
        if time.monotonic() - claimed_at > settings.MOTCUA_SYNC_LEASE_SECONDS / 2:
            # Slow portal: give the rest back well before the lease runs out, so that no other
            # worker takes them over while this one is still sending.
            break
        wave = [line.popleft() for line in lines.values()]
        for call in _calls(wave):
            outcomes = outbox_deliver(messages=call, token=token, client=client)
            for m in call:
                if outcomes[m.pk] == "sent":
                    result.sent += 1
                else:
                    # Not through: the later messages of this dossier wait for it.
                    lines.pop(m.dossier_id, None)
            if "unavailable" in outcomes.values():
                result.unavailable = True
                lines.clear()
                break
        lines = {d: line for d, line in lines.items() if line}
    _release(token)
    return result
