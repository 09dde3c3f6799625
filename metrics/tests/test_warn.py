"""Early warning: due soon within N working hours, late, and the apology deadline."""

from datetime import date, datetime, timedelta
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db.models import F, Q
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from dossiers.calendar import calendar_for_unit, clear_cache, default_calendar, parse_office_hours
from dossiers.deadlines import TZ, working_seconds_between
from dossiers.models import CalendarDay, Dossier
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


# --- the database cut-offs give the answers of the working-time rule --------------------------

@given(start=st.datetimes(min_value=datetime(2025, 12, 20), max_value=datetime(2026, 5, 10)),
       gap=st.integers(min_value=0, max_value=20 * 86_400_000_000),
       hours=st.integers(min_value=0, max_value=40), spare=st.sampled_from([0, 1, -1, 999_999]))
@settings(max_examples=400, deadline=None)
def test_working_cutoff_is_the_first_moment_past_the_hours(start, gap, hours, spare):
    cal = default_calendar(periods=parse_office_hours("07:30-11:30,13:00-17:00"))
    now = start.replace(tzinfo=TZ)
    seconds = hours * 3600
    cutoff = selectors._working_cutoff(now, seconds, cal)
    # Anywhere after now, and right at the cut-off (± 1 µs, exactly `seconds` working seconds).
    for t in (now + timedelta(microseconds=gap), cutoff + timedelta(microseconds=spare)):
        if t > now:
            assert (t < cutoff) == (working_seconds_between(now, t, cal) <= seconds), (now, t)


def _expected(now, hours, unit_ids=None):
    """The rule read per dossier, with the arithmetic the cut-offs replace."""
    limit = hours * 3600
    late, soon = [], []
    qs = Dossier.objects.filter(state__in=selectors.RUNNING_STATES).select_related(
        "current_step", "receiving_unit").order_by(F("due_at").asc(nulls_last=True), "pk")
    if unit_ids is not None:
        qs = qs.filter(Q(current_unit_id__in=unit_ids) | Q(competent_unit_id__in=unit_ids))
    for d in qs:
        if d.due_at is not None and d.due_at <= now:
            late.append((d.pk, "late", False))
            continue
        cal = calendar_for_unit(d.receiving_unit)
        step_due = d.current_step.due_at if d.current_step else None
        apology = (d.due_at is not None and
                   working_seconds_between(now, d.due_at, cal) - cal.seconds_per_day <= limit)
        if step_due is not None and step_due <= now:
            soon.append((d.pk, "step_late", apology))
        elif (step_due is not None and working_seconds_between(now, step_due, cal) <= limit) \
                or apology:
            soon.append((d.pk, "soon", apology))
    return late, soon


def _rows(warnings):
    return [(w.dossier.pk, w.kind, w.apology_due) for w in warnings]


def test_lists_follow_each_receiving_units_calendar(org, make_dossier, commune):
    # The commune keeps other office hours and an extra day off of its own: its dossiers are
    # weighed on its calendar, the centre's on the system one.
    org.other.office_hours = "07:00-11:00,13:30-17:30"
    org.other.save()
    CalendarDay.objects.create(unit=org.other, date=date(2026, 3, 4), kind="off", name="Bão")
    for when in ("2026-03-02 09:00", "2026-03-02 16:30", "2026-03-03 08:00"):
        d = make_dossier(when=when)
        act(d, org.desk, "forward", when[:11] + "17:00", data={"assignee": org.specialist.pk})
    make_dossier(when="2026-03-03 10:15")  # still at the desk's own step
    apologised = make_dossier(when="2026-03-02 10:00")
    act(apologised, org.head, "apologize", "2026-03-03 08:00", reason="Lý do ghi rõ",
        data={"new_due_at": "2026-03-10T10:00:00+07:00"})
    for when in ("2026-03-02 09:00", "2026-03-03 14:00", "2026-03-05 07:10"):
        commune(when=when)
    clear_cache()
    seen = set()
    for day in ("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"):
        for clock in ("06:00", "07:15", "09:00", "11:30", "13:10", "16:59", "17:30"):
            now = at(f"{day} {clock}")
            for hours in (0, 1, 8, 20):
                late, soon = _expected(now, hours)
                got = selectors.dossier_warning_lists(now=now, hours=hours)
                assert (_rows(got.late), _rows(got.soon)) == (late, soon), (now, hours)
                assert (got.late_count, got.soon_more) == (len(late), False)
                for limit in (1, 2, 4):  # the page's cut keeps the first rows and says so
                    cut = selectors.dossier_warning_lists(now=now, hours=hours, limit=limit)
                    assert (_rows(cut.late), _rows(cut.soon)) == (late[:limit], soon[:limit])
                    assert (cut.late_count, cut.soon_more) == (len(late), len(soon) > limit)
                seen |= {kind for _, kind, _ in late + soon}
                seen |= {"apology" for *_, apology in soon if apology}
    assert seen == {"late", "step_late", "soon", "apology"}  # every case was weighed


def test_limit_keeps_the_most_urgent_and_counts_them_all(org, make_dossier):
    ds = [make_dossier(when=f"2026-03-0{n} 09:00") for n in (2, 3, 4, 5, 6)]
    ids = selectors.unit_subtree_ids(org.province.pk)
    now = at("2026-03-16 09:00")  # every one of them late
    full = selectors.dossier_warning_lists(now=now, hours=8, unit_ids=ids)
    assert [w.dossier.pk for w in full.late] == [d.pk for d in ds]  # the longest-late first
    cut = selectors.dossier_warning_lists(now=now, hours=8, unit_ids=ids, limit=2)
    assert [w.dossier.pk for w in cut.late] == [d.pk for d in ds[:2]]
    assert (cut.late_count, cut.soon, cut.soon_more) == (5, [], False)

    # On Monday 09/03 at 07:30 the dossiers of 04/03, 05/03 and 06/03 are not yet late: the
    # soonest due comes first.
    now = at("2026-03-09 07:30")
    full = selectors.dossier_warning_lists(now=now, hours=8, unit_ids=ids)
    assert [w.dossier.pk for w in full.soon] == [d.pk for d in ds[2:]]
    # Each still sits at the desk's first step, long overdue. The apology of the dossiers due
    # Mon 09/03 09:00 and Tue 10/03 09:00 is due within 8 working hours (1 working day before
    # the due moment); the one due Wed 11/03 09:00 has 9.5 working hours left before that.
    assert [(w.kind, w.apology_due) for w in full.soon] == [
        ("step_late", True), ("step_late", True), ("step_late", False)]
    for limit, more in ((1, True), (2, True), (3, False)):
        cut = selectors.dossier_warning_lists(now=now, hours=8, unit_ids=ids, limit=limit)
        assert [w.dossier.pk for w in cut.soon] == [d.pk for d in ds[2:2 + limit]]
        assert cut.soon_more is more
        assert [w.dossier.pk for w in cut.late] == [d.pk for d in ds[:min(limit, 2)]]
        assert cut.late_count == 2
    assert selectors.dossier_warnings(now=now, hours=8, unit_ids=ids) == full.late + full.soon
    # Another unit's list is empty.
    other = selectors.dossier_warning_lists(now=now, hours=8, limit=1,
                                            unit_ids=selectors.unit_subtree_ids(org.other.pk))
    assert (other.late, other.late_count, other.soon, other.soon_more) == ([], 0, [], False)


def test_dashboard_counts_every_warning_and_shows_the_first(client, org, make_dossier):
    from accounts.models import Membership, Role

    Membership.objects.get_or_create(user=org.head, unit=org.province, role=Role.HEAD)
    for n in (4, 5, 6):
        make_dossier(when=f"2026-03-0{n} 09:00")
    client.force_login(org.head)
    url = reverse("metrics:dashboard") + f"?don-vi={org.province.code}&ky=thang&nam=2026&so=3"
    with mock.patch("django.utils.timezone.now", return_value=at("2026-03-09 07:30")), \
            mock.patch("metrics.views.WARN_ROWS", 2):
        html = client.get(url).content.decode()
    assert "Hồ sơ sắp đến hạn (trong 8 giờ làm việc) (2)" in html
    assert "Chỉ hiện 2 hồ sơ đến hạn sớm nhất." in html
    with mock.patch("django.utils.timezone.now", return_value=at("2026-03-09 07:30")), \
            mock.patch("metrics.views.WARN_ROWS", 3):
        html = client.get(url).content.decode()
    assert "Hồ sơ sắp đến hạn (trong 8 giờ làm việc) (3)" in html
    assert "đến hạn sớm nhất" not in html
