"""Per-day counters of the service index, kept in step with the dossier event log.

`counters_apply` is listed in settings.MOTCUA_EVENT_CONSUMERS: dossiers/events.py calls it inside
the transaction of every state change, so a counter moves exactly when the change commits and not
at all when it rolls back. `counters_rebuild` recomputes every row from the event log with the
same `event_deltas` rule; the tests prove both give the same table.

The key of a row is (Vietnam day of the event, the dossier's competent unit, the procedure). A
dossier counts for the agency that resolves it (Decision 766 scores the agency answerable for the
result); a parent unit's figures are the sums over its subtree, a period's figures the sums over its
days.

A key's counts are spread over up to settings.MOTCUA_COUNTER_SLOTS rows (`slot`, `slot_sql`):
every filing and every return of a unit's procedure on one day adds to the same key, and with one
row a key the concurrent transactions queued on its lock until each committed (issue #18). The
counts are sums, not numbers that must be gap-free: any row of the key may take them, and every
reader adds the key's slots up (`counters_table`, the selectors' sums).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum

from catalog.models import Channel, Procedure
from dossiers.models import Dossier, DossierEvent, Timing
from metrics.models import COUNTER_FIELDS, DailyCounter, MonthlyCounter
from motcua.prepared import hot_cursor, statement_write

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ONLINE_CAPABLE = frozenset({Procedure.OnlineLevel.PARTIAL, Procedure.OnlineLevel.FULL})
_CHANNEL_FIELD = {Channel.COUNTER: "received_counter", Channel.ONLINE: "received_online",
                  Channel.POST: "received_post"}
_SETTLED_FIELD = {Timing.EARLY: "settled_early", Timing.ON_TIME: "settled_on_time",
                  Timing.LATE: "settled_late"}

Key = tuple[date, int, int]


def local_day(moment: datetime) -> date:
    """The Vietnam calendar day of a moment: reports are cut at local midnight."""
    return moment.astimezone(LOCAL_TZ).date()


def event_deltas(*, action: str, received: bool, channel: int, online_level: str,
                 settled_timing: str, first_apology: bool,
                 data: Mapping[str, Any] | None = None) -> dict[str, int]:
    """What one event adds to its day's counters; the single rule behind live and rebuild.

    - accept: received by channel; the online-share denominators by the procedure's online level
      (domain.md §8: online dossiers among dossiers of online-capable procedures).
    - return_result: settled early / on time / late by the dossier's statutory timing (an apology
      does not make a late dossier on time, Decree 118/2025). A dossier without a time limit has
      no due moment to miss and counts on time. From the papers recorded on the event (`data`,
      written by the dossier's return): settled with a digitised paper, with an electronic
      (signed) result, with a paper reused from the data store (Decision 766 digitisation
      group, domain.md §8 and §10). An event of an older version without them counts none.
    - refuse, withdraw, stop: counted; a withdrawal or a stop closes a received dossier only when
      the dossier had been received (`received`): one the desk asked to complete before receiving
      it (Form 02 at intake) and that is then withdrawn or stopped was never "in progress", so
      received − closed stays the number of dossiers in progress.
    - apologize: the dossier's first apology (a second letter for the same dossier is not a second
      late dossier).
    - mark_paid: a financial obligation met, and whether it was paid online (gateway or bank
      transfer confirmed by the payment system, the event's `online` flag — domain.md §11).
    """
    data = data or {}
    out: dict[str, int] = {}
    if action == "accept":
        out[_CHANNEL_FIELD[Channel(channel)]] = 1
        online = channel == Channel.ONLINE
        if online_level in ONLINE_CAPABLE:
            out["received_online_capable"] = 1
            out["received_online_capable_online"] = int(online)
        if online_level == Procedure.OnlineLevel.FULL:
            out["received_full_online_procedure"] = 1
            out["received_full_online_procedure_online"] = int(online)
    elif action == "return_result":
        out[_SETTLED_FIELD.get(settled_timing, "settled_on_time")] = 1
        out["closed_after_receipt"] = 1
        out["settled_digitised"] = int(_positive(data.get("papers_digitised")))
        out["settled_reused"] = int(_positive(data.get("papers_reused")))
        out["settled_e_result"] = int(data.get("result_electronic") is True)
    elif action == "refuse":
        out["refused"] = 1
    elif action == "withdraw":
        out["withdrawn"] = 1
        out["closed_after_receipt"] = int(received)
    elif action == "stop":
        out["stopped"] = 1
        out["closed_after_receipt"] = int(received)
    elif action == "apologize" and first_apology:
        out["apologised"] = 1
    elif action == "mark_paid":
        out["paid"] = 1
        out["paid_online"] = int(bool(data.get("online")))
    return {k: v for k, v in out.items() if v}


def _positive(value: Any) -> bool:
    """A count recorded on an event is a positive integer (JSON may give back anything)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def month_of(day: date) -> date:
    """The first day of `day`'s month: the key of the month roll-up."""
    return day.replace(day=1)


def _upsert(key: Key, deltas: dict[str, int], *, model=DailyCounter, key_column="day") -> None:
    """One atomic INSERT … ON CONFLICT DO UPDATE SET f = f + excluded.f (PostgreSQL, SQLite).

    The increment happens inside the database under the row's lock, so two transactions counting
    on the same row never lose a count (no read-modify-write in Python).
    """
    sql, params = _upsert_sql(key, deltas, model=model, key_column=key_column)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# The upsert's text per (table, key column, counters changed, database, slots): built once per
# worker, not quoted column by column on every filing and settling action (some fifty names each
# time, issue #18). A handful of shapes: the actions change a few fixed sets of counters.
_UPSERT_SQL: dict[tuple, str] = {}


def slot_sql(vendor: str, slots: int) -> str:
    """The SQL expression of the slot a counting statement adds to.

    On PostgreSQL, the transaction's id modulo `slots`: the same for every statement of one
    transaction (its top-level id, even under a savepoint), so a transaction counting twice on a
    key (two dossiers of one procedure, a day and its month) locks its rows in the same order as
    with one row a key, and two transactions either share every row of a key, as before, or
    none: spreading adds no deadlock. Concurrent transactions take ids one after the other, so a
    handful of them open at once fall in different slots unless `slots` or more ids were taken
    in between (a random slot a statement would put two of four in the same slot more often than
    not with 8 slots, and two counts of one transaction in different orders). The text stays
    the same on every call: prepared once per connection (motcua/prepared.py `hot_cursor`).
    On SQLite, one writer at a time (settings: IMMEDIATE transactions): slot 0.
    """
    if vendor != "postgresql" or slots <= 1:
        return "0"
    # mod(), not %: the text is sent with %s placeholders, where a bare % is not allowed.
    return f"mod(pg_current_xact_id()::text::bigint, {int(slots)})::smallint"


def _upsert_sql(key: Key, deltas: dict[str, int], *, model=DailyCounter,
                key_column="day") -> tuple[str, list]:
    names = tuple(deltas)
    slots = settings.MOTCUA_COUNTER_SLOTS
    shape = (model, key_column, names, connection.vendor, slots)
    sql = _UPSERT_SQL.get(shape)
    if sql is None:
        table = connection.ops.quote_name(model._meta.db_table)
        q = connection.ops.quote_name
        columns = ", ".join([key_column, "unit_id", "procedure_id", "slot",
                             *[q(n) for n in COUNTER_FIELDS]])
        marks = ", ".join(["%s"] * 3 + [slot_sql(connection.vendor, slots)]
                          + ["%s"] * len(COUNTER_FIELDS))
        updates = ", ".join(f"{q(n)} = {table}.{q(n)} + EXCLUDED.{q(n)}" for n in names)
        sql = _UPSERT_SQL[shape] = (
            f"INSERT INTO {table} ({columns}) VALUES ({marks}) "
            f"ON CONFLICT ({key_column}, unit_id, procedure_id, slot) DO UPDATE SET {updates}")
    params = [*key, *[deltas.get(n, 0) for n in COUNTER_FIELDS]]
    return sql, params


def _count(day: date, unit_id: int, procedure_id: int, deltas: dict[str, int]) -> None:
    """Add `deltas` to the day row and to its month's roll-up row (each in the transaction's
    slot, `slot_sql`): on PostgreSQL in one statement (the day's upsert a data-modifying WITH
    of the month's, the rows locked in the same order), a round trip less on every filing and
    settling action (issue #18)."""
    month = (month_of(day), unit_id, procedure_id)
    if connection.vendor == "postgresql":
        day_sql, day_params = _upsert_sql((day, unit_id, procedure_id), deltas)
        month_sql, month_params = _upsert_sql(month, deltas, model=MonthlyCounter,
                                              key_column="month")
        # Inside a filing's joined writes (motcua/prepared.py), each upsert is one of its WITHs
        # (a data-modifying WITH may not hold one of its own), the month's last as here.
        if statement_write(day_sql, day_params):
            statement_write(month_sql, month_params)
            return
        # Otherwise prepared on the server once per connection and set of counters.
        with hot_cursor(connection) as cursor:
            cursor.execute(f"WITH day_row AS ({day_sql}) {month_sql}", [*day_params,
                                                                        *month_params])
        return
    _upsert((day, unit_id, procedure_id), deltas)
    _upsert(month, deltas, model=MonthlyCounter, key_column="month")


def counters_apply(*, event: DossierEvent, dossier: Dossier) -> None:
    """Event consumer (settings.MOTCUA_EVENT_CONSUMERS): count `event` in its day's row."""
    deltas = event_deltas(
        action=event.action, received=dossier.received_at is not None,
        channel=dossier.channel,
        online_level=_online_level(dossier) if event.action == "accept" else "",
        settled_timing=dossier.timing, first_apology=dossier.apology_count == 1,
        data=event.data,
    )
    if deltas:
        _count(local_day(event.at), dossier.competent_unit_id, dossier.procedure_id, deltas)


def _online_level(dossier: Dossier) -> str:
    # The procedure is usually loaded with the dossier already (dossier_act reads it).
    if Dossier.procedure.is_cached(dossier):
        return dossier.procedure.online_level
    return Procedure.objects.filter(pk=dossier.procedure_id).values_list(
        "online_level", flat=True)[0]


def counters_from_log() -> dict[Key, dict[str, int]]:
    """Every counter row recomputed from the event log, in memory, by `event_deltas`."""
    levels = dict(Procedure.objects.values_list("pk", "online_level"))
    facts: dict[int, tuple[int, int, int, str]] = {}
    rows: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTER_FIELDS, 0))
    # The log is read dossier by dossier, each in order, so what an event needs of the events
    # before it concerns the dossier in hand only: whether an "accept" came before it (received)
    # and whether an apology did. The dossiers' facts are read 20,000 at a time, in the same
    # order, and forgotten once passed, so memory stays flat however long the log.
    current, received, apologised = None, False, False
    events: Iterable = (DossierEvent.objects.order_by("dossier_id", "seq")
                        .values_list("dossier_id", "action", "at", "data")
                        .iterator(chunk_size=20000))
    for dossier_id, action, at, data in events:
        if dossier_id != current:
            current, received, apologised = dossier_id, False, False
        received = received or action == "accept"
        if dossier_id not in facts:
            facts = {
                pk: (unit, proc, channel, timing) for pk, unit, proc, channel, timing in
                Dossier.objects.filter(pk__gte=dossier_id).order_by("pk")
                .values_list("pk", "competent_unit_id", "procedure_id", "channel", "timing")
                [:20000]
            }
        unit, proc, channel, timing = facts[dossier_id]
        first = action == "apologize" and not apologised
        apologised = apologised or action == "apologize"
        deltas = event_deltas(action=action, received=received, channel=channel,
                              online_level=levels[proc], settled_timing=timing,
                              first_apology=first, data=data)
        if deltas:
            row = rows[(local_day(at), unit, proc)]
            for name, value in deltas.items():
                row[name] += value
    return dict(rows)


def _summed(model, key_column: str) -> dict[Key, dict[str, int]]:
    """The stored rows of `model`, each key's slots added up."""
    rows = (model.objects.values(key_column, "unit_id", "procedure_id")
            .annotate(**{n: Sum(n) for n in COUNTER_FIELDS}).order_by())
    return {(r[key_column], r["unit_id"], r["procedure_id"]): {n: r[n] for n in COUNTER_FIELDS}
            for r in rows}


def counters_table() -> dict[Key, dict[str, int]]:
    """The stored counters in the shape of `counters_from_log` (a key's slots summed), for
    comparison."""
    return _summed(DailyCounter, "day")


def months_from_days(rows: dict[Key, dict[str, int]]) -> dict[Key, dict[str, int]]:
    """The month roll-up that day rows add up to (keys carry the month's first day)."""
    out: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTER_FIELDS, 0))
    for (day, unit, proc), values in rows.items():
        row = out[(month_of(day), unit, proc)]
        for name, value in values.items():
            row[name] += value
    return dict(out)


def monthly_table() -> dict[Key, dict[str, int]]:
    """The stored month roll-up in the same shape (a key's slots summed), for comparison."""
    return _summed(MonthlyCounter, "month")


def counters_rebuild() -> int:
    """Replace the counters (days and months) by their recomputation from the event log, one
    row a key (slot 0; the live counting spreads them again); returns the number of day rows.

    Idempotent. On PostgreSQL the tables are locked first so a state change committing meanwhile
    either is in the log read here or adds its count after this transaction commits.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (DailyCounter, MonthlyCounter):
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        DailyCounter.objects.all().delete()
        MonthlyCounter.objects.all().delete()
        rows = counters_from_log()
        DailyCounter.objects.bulk_create(
            (DailyCounter(day=day, unit_id=unit, procedure_id=proc, **values)
             for (day, unit, proc), values in rows.items()), batch_size=5000)
        MonthlyCounter.objects.bulk_create(
            (MonthlyCounter(month=month, unit_id=unit, procedure_id=proc, **values)
             for (month, unit, proc), values in months_from_days(rows).items()),
            batch_size=5000)
    return len(rows)


def counters_fold(*, today: date) -> int:
    """Add the slots of each key of a day before `today` (and of a month before `today`'s month)
    into its slot 0 and delete the others; returns the number of rows removed.

    The slots serve the counting of the current day and month only: an event is counted on its
    own day (`local_day(event.at)`), so a past day's and a past month's rows are no longer
    written, and folding them costs no request a wait while keeping the rows the dashboards sum
    at one a key for every closed period (run nightly: docs/deployment.md). The figures do not
    change: every reader sums a key's slots. Each period in its own transaction, its rows locked.
    """
    removed = 0
    for model, column, cutoff in ((DailyCounter, "day", today),
                                  (MonthlyCounter, "month", month_of(today))):
        periods = (model.objects.filter(**{f"{column}__lt": cutoff}, slot__gt=0)
                   .values_list(column, flat=True).distinct().order_by(column))
        for period in list(periods):
            removed += _fold_period(model, column, period)
    return removed


def _fold_period(model, column: str, period: date) -> int:
    with transaction.atomic():
        rows = list(model.objects.select_for_update().filter(**{column: period})
                    .order_by("unit_id", "procedure_id", "slot"))
        by_key: dict[tuple[int, int], list] = defaultdict(list)
        for row in rows:
            by_key[(row.unit_id, row.procedure_id)].append(row)
        keep, gone = [], []
        for group in by_key.values():
            if len(group) == 1 and group[0].slot == 0:
                continue
            first, *rest = group
            for other in rest:
                for name in COUNTER_FIELDS:
                    setattr(first, name, getattr(first, name) + getattr(other, name))
            gone += [r.pk for r in rest]
            if first.slot != 0:
                # No slot-0 row for this key: the lowest slot's row becomes it.
                first.slot = 0
            keep.append(first)
        # The rows leave before the kept ones move to slot 0 (the key stays unique throughout).
        model.objects.filter(pk__in=gone).delete()
        model.objects.bulk_update(keep, [*COUNTER_FIELDS, "slot"], batch_size=2000)
    return len(gone)
