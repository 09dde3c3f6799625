"""Every live criterion shows the figure the service-index dashboard shows for the same unit and
period, on the metrics tests' hand-checked month (docs/metrics.md "Worked example")."""

from decimal import Decimal as D

from rest_framework.test import APIClient

from metrics.periods import Period
from reform.par.scoring import points_for
from reform.par.services import round_open
from reform.tests.par.conftest import NOW

MARCH = "ky=thang&nam=2026&so=3"


def test_live_criteria_equal_the_dashboard(home, criteria, month):
    r = round_open(actor=home.reform_officer, criteria_set=criteria, organiser=home.home,
                   name="Tháng 3", period=Period("thang", 2026, 3),
                   self_deadline=NOW.date(), units=[home.dept, home.other], now=NOW)
    api = APIClient()
    api.force_authenticate(home.head)
    for unit in (home.dept, home.other):
        dashboard = api.get(f"/api/v1/metrics/?don-vi={unit.code}&{MARCH}").json()
        figures = dashboard["units"][0]["indicators"]
        a = r.assessments.get(unit=unit)
        scores = list(a.scores.select_related("criterion"))
        live = [s for s in scores if s.criterion.live_metric in figures]
        assert len(live) >= 8
        # No live criterion is left out unseen: those the dashboard does not show are the
        # SIPAS indices, compared with the survey's results in test_sipas.py.
        assert {s.criterion.live_metric for s in scores if s.criterion.live_metric
                and s not in live} == {"sipas", "sipas_civil_servant", "sipas_feedback"}
        for s in live:
            expected = figures[s.criterion.live_metric]
            shown = s.live["value"]
            assert (None if shown is None else float(shown)) == expected, s.criterion.code
            assert s.live["formula"] == dashboard["definitions"][s.criterion.live_metric][
                "formula"]
            if expected is not None:
                assert s.self_points == points_for(
                    kind="percent", value=str(expected), max_points=s.criterion.max_points,
                    scale=s.criterion.scale)
    # The hand-checked department: 3 of 4 settled early or on time → 75 % → 3.2.1 earns the
    # 0 points of the "below 90 %" step; its dossiers are the dashboard's "settled" list.
    on_time = r.assessments.get(unit=home.dept).scores.get(criterion__code="3.2.1")
    assert (on_time.value, on_time.self_points) == ("75.00", D("0.00"))
    assert on_time.live["url"] == f"/chi-so/ho-so/?don-vi={home.dept.code}&{MARCH}&chi-so=settled"
    drill = APIClient()
    drill.force_login(home.head)
    listing = drill.get(on_time.live["url"]).content.decode()
    for key in "ABCD":
        assert month[key].code in listing
    # Data that does not exist in motcua is shown as no figure, never as 0 points earned.
    publicity = r.assessments.get(unit=home.dept).scores.get(criterion__code="3.1.1")
    assert publicity.live["value"] is None and publicity.self_points is None


def test_feedback_answered_on_time_equals_the_feedback_statistics(home, criteria):
    """Criterion 3.4 reads the PAKN statistics (feedback/) for the unit and period."""
    from accounts.models import Role
    from dossiers.tests.conftest import _user, at
    from feedback.models import Channel, Feedback, State

    def item(n: int, answered: str, due: str) -> None:
        Feedback.objects.create(
            code=f"PAKN-260302-T{n:05d}", lookup_secret="ABCDEFGH", channel=Channel.PORTAL,
            state=State.ANSWERED, title="Thủ tục đòi bản sao", content="Nội dung",
            sender_name="Người gửi", receiving_unit=home.centre, handling_unit=home.dept,
            received_at=at("2026-03-02 09:00"), kind="outside", answer="Đã chấn chỉnh.",
            answered_at=at(answered), answer_due_at=at(due), forward_due_at=at("2026-03-09 09:00"))

    item(1, "2026-03-10 09:00", "2026-03-20 17:00")
    item(2, "2026-03-12 09:00", "2026-03-20 17:00")
    item(3, "2026-03-25 09:00", "2026-03-20 17:00")  # late
    r = round_open(actor=home.reform_officer, criteria_set=criteria, organiser=home.home,
                   name="Tháng 3", period=Period("thang", 2026, 3),
                   self_deadline=NOW.date(), units=[home.dept], now=NOW)
    score = r.assessments.get().scores.get(criterion__code="3.4")
    officer = _user("pakn.so", home.dept, Role.FEEDBACK)
    api = APIClient()
    api.force_authenticate(officer)
    stats = api.get("/api/v1/feedback/statistics/", {"from": "2026-03-01",
                                                     "to": "2026-03-31"}).json()
    assert stats["total"]["on_time_rate"] == "66.67" == score.live["value"]
    assert score.self_points == D("0.00")  # below 90 %: no point under the criterion's scale
    assert score.live["url"] == "/phan-anh/can-bo/thong-ke/?tu=2026-03-01&den=2026-03-31"
