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


@pytest.mark.django_db
def test_a_renamed_unit_reaches_the_next_actions_steps(org):
    """An action takes its steps' units, with their parents, from the worker's cache
    (`reference_unit`): a unit's or its parent's new name is in the next action's
    answer and in the result's header, and the steps' units still cost the action no read."""
    from dossiers.tests.test_api import act, client_for, create_body

    desk = client_for(org.desk)
    first, second = (desk.post("/api/v1/dossiers/", create_body(org, accept=True),
                               format="json").json()["code"] for _ in range(2))
    answer = act(desk, first, "forward", data={"assignee": org.specialist.pk}).json()
    names = {s["unit"]: s["unit_name"] for s in answer["steps"]}
    assert names[org.dept.code] == "Sở Tư pháp tỉnh Thử nghiệm"
    org.dept.name = "Sở Tư pháp (tên mới)"
    org.dept.save()
    with CaptureQueriesContext(connection) as q:
        answer = act(desk, second, "forward", data={"assignee": org.specialist.pk}).json()
    assert {s["unit"]: s["unit_name"] for s in answer["steps"]}[org.dept.code] == \
        "Sở Tư pháp (tên mới)"
    # The version moved, so the units were read again, once each: by id, never joined to steps.
    steps_read = [x["sql"] for x in q.captured_queries if "dossiers_dossierstep" in x["sql"]
                  and x["sql"].startswith("SELECT")]
    assert steps_read and all('"accounts_unit"' not in sql for sql in steps_read)
    from dossiers.models import Dossier
    from dossiers.services.transitions import dossier_act

    org.province.name = "UBND tỉnh (tên mới)"
    org.province.save()
    dossier = dossier_act(dossier=Dossier.objects.get(code=second), actor=org.specialist,
                          action="forward", data={"assignee": org.head.pk})
    # The step's unit carries its parent as it is now (a result's header prints both).
    assert {s.unit.code: (s.unit.name, s.unit.parent.name if s.unit.parent_id else "")
            for s in dossier.steps.all()}[org.dept.code] == ("Sở Tư pháp (tên mới)",
                                                              "UBND tỉnh (tên mới)")


@pytest.mark.django_db
def test_the_version_check_is_built_once_a_worker(org, make_dossier, monkeypatch):
    """The version check's text and the roles' read in it are built on the first filing of a
    worker, not on every filing (issue #18); the statement and the roles read are the same."""
    import accounts.selectors
    from accounts.models import User
    from accounts.selectors import user_roles_read
    from dossiers import reference

    make_dossier()  # the worker's first filing builds the text
    built = []
    monkeypatch.setattr(accounts.selectors, "user_roles_read",
                        lambda *a: built.append(a) or user_roles_read(*a))
    monkeypatch.setattr(reference, "_version_parts",
                        lambda real=reference._version_parts: built.append("parts") or real())
    user = User.objects.get(pk=org.other_desk.pk)  # no roles cached on this instance
    reference.reference_version(user)
    make_dossier()
    assert built == []
    # The statement is the one composed from its parts, as every filing composed it before.
    sql, params = user_roles_read(user.pk).as_sql(None, connection)
    parts = [f"({part})" for part in reference._version_parts()] + [f"({sql})"]
    assert reference._version_statement(True) == ("SELECT " + ", ".join(parts), params[1:])
    assert accounts.selectors.user_roles(user) == frozenset(
        (m.unit_id, m.role) for m in org.other_desk.memberships.all())
