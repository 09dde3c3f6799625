"""Decision 766 "feedback answered on time": the PAKN statistics' own figure, per unit subtree."""

from decimal import Decimal as D

from django.urls import reverse

from accounts.models import Role
from dossiers.tests.conftest import _user, at
from feedback.models import Channel, Feedback, State
from feedback.selectors import feedback_statistics
from metrics import selectors
from metrics.periods import Period
from metrics.tests.conftest import NOW

MARCH = Period("thang", 2026, 3)


def _item(n: int, *, receiving, handling, received: str, state=State.ANSWERED,
          answered: str | None = None, due: str = "2026-03-20 17:00") -> Feedback:
    return Feedback.objects.create(
        code=f"PAKN-260302-M{n:05d}", lookup_secret="ABCDEFGH", channel=Channel.PORTAL,
        state=state, title="Thủ tục đòi bản sao", content="Nội dung", sender_name="Người gửi",
        receiving_unit=receiving, handling_unit=handling, received_at=at(received),
        kind="outside", answer="Đã chấn chỉnh." if answered else "",
        answered_at=at(answered) if answered else None, answer_due_at=at(due),
        forward_due_at=at("2026-03-09 09:00"))


def _march(org) -> None:
    # The department answers two on time and one late; one is still open (not counted).
    _item(1, receiving=org.centre, handling=org.dept, received="2026-03-02 09:00",
          answered="2026-03-10 09:00")
    _item(2, receiving=org.dept, handling=org.dept, received="2026-03-03 09:00",
          answered="2026-03-20 16:59")
    _item(3, receiving=org.centre, handling=org.dept, received="2026-03-04 09:00",
          answered="2026-03-25 09:00")
    _item(4, receiving=org.dept, handling=org.dept, received="2026-03-05 09:00",
          state=State.ASSIGNED)
    # The commune answers one, on time; one received in April is outside the period.
    _item(5, receiving=org.other, handling=org.other, received="2026-03-06 09:00",
          answered="2026-03-11 09:00")
    _item(6, receiving=org.dept, handling=org.dept, received="2026-04-01 09:00",
          answered="2026-04-02 09:00", due="2026-04-20 17:00")


def _statistics(unit_ids: set[int]) -> D | None:
    total, _rows = feedback_statistics(start=MARCH.start_at, end=MARCH.end_at,
                                       unit_ids=unit_ids)
    return total.on_time_rate


def test_equals_the_feedback_statistics_per_unit_subtree(org):
    _march(org)
    tree = selectors.unit_tree()
    reports = selectors.unit_reports([org.province, org.dept, org.other, org.centre], MARCH,
                                     NOW, tree)
    got = {r.unit.pk: r.values["feedback_on_time"] for r in reports}
    # 2 of 3 answered on time (item 2 at 16:59, before its 17:00 due moment, is on time).
    assert got[org.dept.pk] == D("66.67") == _statistics(tree.subtree(org.dept.pk))
    assert got[org.other.pk] == D("100.00") == _statistics(tree.subtree(org.other.pk))
    # The centre received items 1 and 3 and forwarded them: it counts them as the statistics do.
    assert got[org.centre.pk] == D("50.00") == _statistics(tree.subtree(org.centre.pk))
    # The province: 3 of 4, each item once although two of its units touched it.
    assert got[org.province.pk] == D("75.00") == _statistics(tree.subtree(org.province.pk))
    figures = {r.unit.pk: r.figures for r in reports}
    assert (figures[org.province.pk].feedback_answered,
            figures[org.province.pk].feedback_answered_on_time) == (4, 3)


def test_no_answer_is_no_figure_not_zero(org):
    _item(1, receiving=org.dept, handling=org.dept, received="2026-03-05 09:00",
          state=State.ASSIGNED)
    value = selectors.unit_report(org.dept, MARCH, NOW).values["feedback_on_time"]
    assert value is None and _statistics({org.dept.pk}) is None


def test_shown_on_the_dashboard_and_in_the_api(client, org):
    _march(org)
    head = _user("lanhdao.pakn", org.province, Role.HEAD)
    client.force_login(head)
    query = f"don-vi={org.dept.code}&ky=thang&nam=2026&so=3"
    html = client.get(reverse("metrics:dashboard") + "?" + query).content.decode()
    assert "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn" in html
    assert "66,67" in html
    api = client.get(f"/api/v1/metrics/?{query}").json()
    assert api["units"][0]["indicators"]["feedback_on_time"] == 66.67
