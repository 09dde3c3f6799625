"""Numbers of the results a unit issues: `<n>/<kind suffix>-<unit abbreviation>`, yearly per unit
(Decree 30/2020, Article 15: a body's documents are numbered in sequence through the year).

A result someone signs takes its number before it is signed (the number is printed in what is
signed): `result_number_next`, one atomic upsert in the caller's transaction, like the form
numbers (dossiers/numbering.py); a rolled-back signing gives its number back.

A result no one signs is approved unnumbered (issue #18): the approval stores it with an empty
`document_number` and, in the facts it keeps for its rendering, the series it is to be numbered
in (`NUMBER_PENDING`: the counter's suffix and the number's tail, "/QĐ-STP"). Every approval of
a unit no longer waits for that unit's counter row to the end of its commit. The number is taken
after the commit by `results_number`, in a transaction of its own, before the result is rendered
or read (results/rendering.py `stored_ready`, the worker `results_render`, and every reader of
the number through `results_numbered`): it numbers every unnumbered result of that unit, suffix
and year up to the one asked for, in the order of their issue (`issued_at`, id), under the
counter row's lock — so numbers stay unique and gap-free and follow the approvals' order
whoever numbers first, a numbering that rolls back gives its numbers back, and the worker numbers
a batch in one commit. The year is the issue's (`issued_at` in Asia/Ho_Chi_Minh), not the
numbering's moment: a result approved on 31 December and numbered on 2 January takes the old
year's next number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery

from accounts.models import Unit
from dossiers.deadlines import TZ
from dossiers.numbering import unit_abbreviation, yearly_number_next
from motcua.prepared import hot_cursor
from results.models import ResultCounter, ResultDraft, StoredDocument

# Rows a numbering's `UPDATE … CASE` writes at most (results_number).
_CHUNK = 100

# The key of a result's kept facts naming the series it waits to be numbered in:
# [suffix, tail] ("QĐ", "/QĐ-STP"); dropped when it is numbered.
NUMBER_PENDING = "number_pending"


def result_number_next(*, unit: Unit, suffix: str, at: datetime,
                       symbol: str | None = None) -> str:
    """`symbol`: the issuing body's abbreviation configured in its signature block (Decree
    30/2020, Appendix I, Part I, Section II, item 3), else the unit's initials."""
    number = yearly_number_next(model=ResultCounter, series_column="suffix", unit=unit,
                                series=suffix, at=at)
    return f"{number}/{suffix}-{symbol or unit_abbreviation(unit)}"


def number_pending(stored: StoredDocument) -> bool:
    """Whether `stored` is a result approved unnumbered whose number is not taken yet."""
    return not stored.document_number and NUMBER_PENDING in (stored.facts or {})


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=TZ), datetime(year + 1, 1, 1, tzinfo=TZ)


def _counter_locked(unit_id: int, suffix: str, year: int) -> int:
    """Lock the counter row of (`unit_id`, `suffix`, `year`), made at 0 if missing; its last
    number. Held to the numbering's commit: a second numberer of the series waits here."""
    table = connection.ops.quote_name(ResultCounter._meta.db_table)
    sql = (f"INSERT INTO {table} (unit_id, suffix, year, last) VALUES (%s, %s, %s, 0) "
           f"ON CONFLICT (unit_id, suffix, year) DO UPDATE SET last = {table}.last "
           "RETURNING last")
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, [unit_id, suffix, year])
        return cursor.fetchone()[0]


def results_number(*, unit_id: int, suffix: str, year: int,
                   upto: tuple[datetime, int] | None = None, limit: int | None = None) -> int:
    """Number, in a transaction of its own, the results of `unit_id` waiting for a number of
    `suffix` and issued in `year`, in the order of their issue (`issued_at`, id), up to `upto`
    (that `issued_at` and id) or all of them, at most the first `limit` (the worker's batch:
    the first ones, so the numbers stay in order); how many it numbered.

    Call outside any transaction that holds a stored result's row lock: the counter row is
    locked first, the results' rows after (results/rendering.py takes the row lock after)."""
    start, end = _year_bounds(year)
    with transaction.atomic():
        last = _counter_locked(unit_id, suffix, year)
        # Read after the counter's lock (a statement of its own, so under READ COMMITTED it
        # sees what the numberer before committed). The pending rows are few: the worker's
        # partial index (`stored_render_pending`: no file yet) holds every one of them.
        rows = (StoredDocument.objects
                .filter(file="", document_number="", kind=StoredDocument.Kind.RESULT,
                        issuer_unit_id=unit_id, issued_at__gte=start, issued_at__lt=end)
                .order_by("issued_at", "pk").only("pk", "issued_at", "facts"))
        if upto is not None:
            rows = rows.filter(Q(issued_at__lt=upto[0]) | Q(issued_at=upto[0], pk__lte=upto[1]))
        if limit is not None:
            rows = rows[:limit]
        numbered = []
        for stored in rows:
            pending = (stored.facts or {}).get(NUMBER_PENDING)
            if not pending or pending[0] != suffix:
                continue
            if upto is not None and (stored.issued_at, stored.pk) > upto:
                break
            last += 1
            stored.document_number = f"{last}{pending[1]}"
            facts = dict(stored.facts)
            del facts[NUMBER_PENDING]
            facts["document_number"] = stored.document_number
            stored.facts = facts
            numbered.append(stored)
        if not numbered:
            return 0
        # A `CASE` of a branch per row: chunked, since each row's value is found by walking the
        # branches (a backlog of thousands after the worker stopped would cost their square).
        StoredDocument.objects.bulk_update(numbered, ["document_number", "facts"],
                                           batch_size=_CHUNK)
        # The version each was issued from carries the number it was issued under.
        ResultDraft.objects.filter(stored_id__in=[s.pk for s in numbered]).update(
            number=Subquery(StoredDocument.objects.filter(pk=OuterRef("stored_id"))
                            .values("document_number")[:1]))
        ResultCounter.objects.filter(unit_id=unit_id, suffix=suffix, year=year).update(
            last=last)
    return len(numbered)


def result_numbered(stored: StoredDocument) -> StoredDocument:
    """`stored` with its number: taken now (with every earlier one of its series) if it was
    approved unnumbered and is not numbered yet. Updates the instance given; no statement when
    it has its number."""
    if not number_pending(stored):
        return stored
    suffix = stored.facts[NUMBER_PENDING][0]
    results_number(unit_id=stored.issuer_unit_id, suffix=suffix,
                   year=stored.issued_at.astimezone(TZ).year,
                   upto=(stored.issued_at, stored.pk))
    done = StoredDocument.objects.filter(pk=stored.pk).values("document_number", "facts").first()
    if done is not None:
        stored.document_number, stored.facts = done["document_number"], done["facts"]
    return stored


def results_numbered(stored: Iterable[StoredDocument]) -> list[StoredDocument]:
    """Every one of `stored` with its number (`result_numbered`), for a page or an export that
    shows several: no statement when all have theirs."""
    out = list(stored)
    for one in out:
        result_numbered(one)
    return out


def results_number_all(*, batch: int = 500) -> int:
    """The worker's numbering: the results waiting for their number, at most `batch` of each
    series (unit, suffix, year) found among the first `batch` waiting, each series in one
    transaction; how many it numbered."""
    series = set()
    for unit_id, issued_at, facts in (
            StoredDocument.objects.filter(file="", document_number="",
                                          kind=StoredDocument.Kind.RESULT)
            .order_by("pk").values_list("issuer_unit_id", "issued_at", "facts")[:batch]):
        pending = (facts or {}).get(NUMBER_PENDING)
        if pending:
            series.add((unit_id, pending[0], issued_at.astimezone(TZ).year))
    return sum(results_number(unit_id=u, suffix=s, year=y, limit=batch)
               for u, s, y in sorted(series))
