"""Counting tries within a time window in the database, written before they are judged.

The public lookups (dossiers/services/lookup.py, feedback/services/lookup.py) and the public
feedback form's sending limit (feedback/services/sending.py) each keep one row a try, keyed by a
scope (an address, a code, a contact) and a key. The row is written first and counted after, so a
burst spread over several workers cannot slip between a count and a write; a refused try is
deleted again, so whoever keeps trying does not push their own window on.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone


class WindowTry(models.Model):
    """The row each counted try writes: its scope (an address, a code, …), the key within the
    scope (the address itself, the code) and its moment. Abstract: each table keeps its own
    choices of scope, its index and its name (`dossiers.LookupFailure`,
    `results.VerificationTry`, `accounts.CodeSendTry`, `feedback.LookupFailure`,
    `feedback.SendRecord`, whose key is an e-mail address, 254 characters); the columns are
    the same, so the one counting below serves all of them. The tables are as they were: the
    base adds no column and moves none (no migration came of it)."""

    scope = models.CharField(max_length=10)
    key = models.CharField(max_length=100)
    at = models.DateTimeField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


def tries_count(model: type[WindowTry], rows: list[WindowTry], *, now: datetime,
                windows: Mapping[str, timedelta],
                limits: Mapping[str, int]) -> tuple[list[int], set[str]]:
    """Write `rows` (each with `scope`, `key`, `at`), then count each one's scope and key within
    its scope's window. Returns the ids written and the scopes past their limit; when any scope
    is past its limit the rows are deleted again and no id is returned."""
    rows = model.objects.bulk_create(rows)
    reserved = [row.pk for row in rows]
    over = {row.scope for row in rows
            if model.objects.filter(scope=row.scope, key=row.key,
                                    at__gte=now - windows[row.scope]).count()
            > limits[row.scope]}
    if over:
        model.objects.filter(pk__in=reserved).delete()
        return [], over
    return reserved, over


def address_try_over(model: type[WindowTry], *, address: str, window: timedelta,
                     limit: int) -> bool:
    """Count one try from `address` in a table whose one scope is "address" (the public
    verification, the codes sent): rows past the window deleted first, then `tries_count`.
    Whether the address is past `limit` (its refused try is not kept)."""
    now = timezone.now()
    model.objects.filter(at__lt=now - window).delete()
    scope = "address"
    _reserved, over = tries_count(model, [model(scope=scope, key=address[:100], at=now)],
                                  now=now, windows={scope: window}, limits={scope: limit})
    return bool(over)
