"""Early warning: due soon within N working hours, late, and the apology deadline."""

from io import StringIO

from django.core.management import call_command

from metrics import selectors
from metrics.tests.conftest import act, at


def _run(when: str, hours: int = 8) -> str:
    out = StringIO()
    call_command("metrics_warn", hours=hours, at=at(when).isoformat(), stdout=out)
    return out.getvalue()


def test_step_due_soon_late_and_apology(org, make_dossier):
    # Counter, received Mon 02/03 09:00, due Thu 05/03 09:00 (3 working days).
    d = make_dossier()
    d = act(d, org.desk, "forward", "2026-03-02 09:30", data={"assignee": org.specialist.pk})
    step_due = d.current_step.due_at
    assert step_due is not None and step_due < d.due_at

    # Monday 10:00: nothing within one working hour (the step still has more).
    assert selectors.dossier_warnings(now=at("2026-03-02 10:00"), hours=1) == []

    # Wednesday 09:00: exactly 1 working day before the due moment — the apology is due now.
    w = selectors.dossier_warnings(now=at("2026-03-04 09:00"), hours=0)
    assert [x.dossier.pk for x in w] == [d.pk] and w[0].apology_due
    assert w[0].responsible == org.specialist.display_name

    # Friday: the dossier itself is late.
    w = selectors.dossier_warnings(now=at("2026-03-06 09:00"), hours=8)
    assert w[0].kind == "late" and not w[0].apology_due


def test_paused_and_closed_dossiers_are_not_warned(org, make_dossier):
    d = make_dossier()
    d = act(d, org.desk, "forward", "2026-03-02 09:30", data={"assignee": org.specialist.pk})
    act(d, org.specialist, "request_supplement", "2026-03-02 10:00", reason="Thiếu giấy tờ",
        data={"missing_documents": ["Tờ khai"]})
    e = make_dossier()
    act(e, org.desk, "withdraw", "2026-03-02 10:00", reason="Công dân rút")
    assert selectors.dossier_warnings(now=at("2026-03-20 09:00"), hours=8) == []


def test_command_groups_by_responsible_person(org, make_dossier):
    a = make_dossier()
    act(a, org.desk, "forward", "2026-03-02 09:30", data={"assignee": org.specialist.pk})
    b = make_dossier()
    act(b, org.desk, "forward", "2026-03-02 09:30", data={"assignee": org.specialist2.pk})
    c = make_dossier()  # still at the desk's first step, no one assigned beyond the desk officer
    out = _run("2026-03-06 09:00")
    assert "3 hồ sơ" in out
    assert f"== {org.specialist.display_name} (1)" in out
    assert f"== {org.specialist2.display_name} (1)" in out
    assert c.code in out and "Hồ sơ đã quá hạn" in out
