"""A counter key's counts spread over slot rows (metrics/counters.py `slot_sql`, issue #18): two
transactions counting the same key at once do not wait on each other, and every reader gives the
same figures however a key's counts are spread."""

import threading
from dataclasses import asdict
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, transaction

from metrics import selectors
from metrics.counters import (
    _count,
    _upsert_sql,
    counters_fold,
    counters_table,
    monthly_table,
    slot_sql,
)
from metrics.models import COUNTER_FIELDS, DailyCounter, MonthlyCounter
from metrics.periods import Period
from metrics.popularity import procedure_dossier_counts
from metrics.tests.conftest import NOW

on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                   reason="PostgreSQL's row locks; SQLite has one writer")


def _slot(slots: int) -> int:
    """The slot the running transaction counts in."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {slot_sql(connection.vendor, slots)}")
        return cursor.fetchone()[0]


class _SameSlot(Exception):
    pass


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("slots", "waits"), [(8, False), (1, True)])
def test_two_transactions_counting_one_key_at_once_do_not_wait(org, settings, slots, waits):
    """One transaction counts a key and stays open; a second, on another connection, counts the
    same key with a one-second lock timeout. With one row a key (1 slot, as before) the second
    waits for the first's row lock and gives up; with 8 it counts in another row at once."""
    settings.MOTCUA_COUNTER_SLOTS = slots
    key = (date(2026, 3, 2), org.dept.pk, org.procedure.pk)
    second: dict = {}

    def count_meanwhile(held: int) -> None:
        try:
            # Ids are the cluster's: another session may take some between the two
            # transactions' and put the second in the first's slot (one time in `slots` at
            # worst). Then a new transaction, a new id, as the next request would have.
            for _ in range(10):
                try:
                    with transaction.atomic():
                        with connection.cursor() as cursor:
                            cursor.execute("SET LOCAL lock_timeout = '1s'")
                        mine = _slot(slots)
                        if slots > 1 and mine == held:
                            raise _SameSlot
                        _count(*key, {"received_counter": 1})
                    second["slot"] = mine
                    return
                except _SameSlot:
                    continue
            second["error"] = f"every transaction fell in the first's slot {held}"
        except OperationalError as exc:
            second["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():
        _count(*key, {"received_counter": 1})
        held = _slot(slots)
        other = threading.Thread(target=count_meanwhile, args=(held,))
        other.start()
        other.join()
    if waits:
        assert "lock timeout" in str(second["error"])
        assert counters_table()[key]["received_counter"] == 1
        return
    assert "error" not in second, second["error"]
    assert second["slot"] != held
    assert counters_table()[key]["received_counter"] == 2
    assert monthly_table()[(date(2026, 3, 1), *key[1:])]["received_counter"] == 2
    assert sorted(DailyCounter.objects.values_list("slot", flat=True)) == sorted(
        [held, second["slot"]])


def test_the_slot_is_the_transaction_s_on_postgresql_and_0_on_sqlite(settings):
    """One slot for every statement of a transaction (its id), so that its day and month rows
    and any second count of a key are locked in the same order as with one row a key."""
    assert slot_sql("sqlite", 8) == "0" and slot_sql("postgresql", 1) == "0"
    assert slot_sql("postgresql", 8) == "mod(pg_current_xact_id()::text::bigint, 8)::smallint"
    settings.MOTCUA_COUNTER_SLOTS = 8
    sql, params = _upsert_sql((date(2026, 3, 2), 1, 2), {"refused": 1})
    assert f"{slot_sql(connection.vendor, 8)}, %s" in sql
    assert "ON CONFLICT (day, unit_id, procedure_id, slot)" in sql
    assert len(params) == 3 + len(COUNTER_FIELDS)


def _spread() -> None:
    """Every stored row split over three slots of its key: half its counts where it is, the
    rest in another slot, and a row of zeros in a third."""
    for model, column in ((DailyCounter, "day"), (MonthlyCounter, "month")):
        for row in list(model.objects.all()):
            half = {n: getattr(row, n) // 2 for n in COUNTER_FIELDS}
            model.objects.filter(pk=row.pk).update(**half)
            key = {column: getattr(row, column), "unit_id": row.unit_id,
                   "procedure_id": row.procedure_id}
            model.objects.create(**key, slot=(row.slot + 3) % 8,
                                 **{n: getattr(row, n) - half[n] for n in COUNTER_FIELDS})
            model.objects.create(**key, slot=(row.slot + 6) % 8)


def _figures(org) -> list:
    units = [org.province, org.dept, org.other]
    reports = [(asdict(r.figures), r.values, r.score.points)
               for period in (Period("thang", 2026, 3), Period("thang", 2026, 4),
                              Period("quy", 2026, 1), Period("nam", 2026))
               for r in selectors.unit_reports(units, period, NOW)]
    trend = selectors.unit_trend(org.province, [Period("thang", 2026, m) for m in (2, 3, 4)])
    return [counters_table(), monthly_table(), reports, trend,
            procedure_dossier_counts(today=date(2026, 4, 30))]


def test_the_readers_add_up_a_key_s_slots(org, month):
    """The hand-checked month read with one row a key, then with every key spread over three
    slots: the same counters, reports, trend and popularity."""
    one_row = _figures(org)
    rows = DailyCounter.objects.count(), MonthlyCounter.objects.count()
    _spread()
    assert (DailyCounter.objects.count(), MonthlyCounter.objects.count()) == (3 * rows[0],
                                                                             3 * rows[1])
    assert _figures(org) == one_row
    assert one_row[2][0][0]["received_counter"] == 6  # the province's March, as hand-checked


def test_the_nightly_fold_leaves_one_row_a_key_of_closed_periods_and_the_same_figures(org, month):
    """After the spread, the fold on 15 April: every day before it and every month before
    April back at one row a key (slot 0), April's month and the 15th onwards left spread; every
    reader's figures as with one row a key."""
    one_row = _figures(org)
    _spread()
    today = date(2026, 4, 15)
    spread_after = {
        DailyCounter: DailyCounter.objects.filter(day__gte=today).count(),
        MonthlyCounter: MonthlyCounter.objects.filter(month__gte=date(2026, 4, 1)).count()}
    assert counters_fold(today=today) > 0
    for model, column, cutoff in ((DailyCounter, "day", today),
                                  (MonthlyCounter, "month", date(2026, 4, 1))):
        closed = model.objects.filter(**{f"{column}__lt": cutoff})
        assert closed.exists()
        assert not closed.exclude(slot=0).exists()
        keys = closed.values_list(column, "unit_id", "procedure_id")
        assert len(set(keys)) == len(keys)
        assert model.objects.filter(**{f"{column}__gte": cutoff}).count() == spread_after[model]
    assert _figures(org) == one_row
    assert counters_fold(today=today) == 0  # nothing left to fold
    # The nightly command, today (every period of the fixture closed): one row a key everywhere.
    out = StringIO()
    call_command("metrics_fold", stdout=out)
    assert "bớt" in out.getvalue()
    assert not DailyCounter.objects.exclude(slot=0).exists()
    assert not MonthlyCounter.objects.exclude(slot=0).exists()
    assert _figures(org) == one_row
