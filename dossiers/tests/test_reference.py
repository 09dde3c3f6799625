"""Filing's reference data is cached per worker and reloaded when the catalogue or the calendar
changes (dossiers/reference.py)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Fee, TimeLimit
from dossiers.models import CalendarDay


@pytest.mark.django_db
def test_a_warm_filing_reads_no_catalogue_table(org, make_dossier):
    make_dossier()
    with CaptureQueriesContext(connection) as q:
        make_dossier()
    read = " ".join(x["sql"] for x in q.captured_queries if x["sql"].startswith("SELECT"))
    assert "catalog_" in read  # the version check reads max(updated_at) of procedures …
    assert "FROM \"catalog_variant\"" not in read and "catalog_timelimit\"" not in read
    assert "catalog_requireddocument\"" not in read and "catalog_step\"" not in read


@pytest.mark.django_db
def test_a_changed_time_limit_reaches_the_next_filing(org, make_dossier):
    first = make_dossier(when="2026-03-02 09:00")
    limit = TimeLimit.objects.get(variant=org.variant, channel=1)
    limit.amount = Decimal(5)
    limit.save()
    second = make_dossier(when="2026-03-02 09:00")
    assert (first.limit_amount, second.limit_amount) == (Decimal(3), Decimal(5))
    # Monday 9:00 + 3 working days is Thursday; + 5 is the next Monday.
    assert (first.due_at.day, second.due_at.day) == (5, 9)


@pytest.mark.django_db
def test_a_deleted_fee_leaves_the_next_snapshot(org, make_dossier):
    from sync.models import OutboxMessage

    fee = Fee.objects.create(variant=org.variant, channel=1, name="Lệ phí", amount=200000)
    first = make_dossier()
    fee.delete()
    second = make_dossier()

    def fees(dossier):
        return OutboxMessage.objects.get(dossier=dossier, seq=1).payload["DanhSachLePhi"]

    assert [f["Gia"] for f in fees(first)] == ["200000"]
    assert fees(second) == []


@pytest.mark.django_db
def test_a_new_day_off_reaches_the_next_filing(org, make_dossier):
    first = make_dossier(when="2026-03-02 09:00")
    CalendarDay.objects.create(date=date(2026, 3, 3), kind=CalendarDay.Kind.DAY_OFF,
                               name="Nghỉ đột xuất")
    second = make_dossier(when="2026-03-02 09:00")
    assert (first.due_at.day, second.due_at.day) == (5, 6)
