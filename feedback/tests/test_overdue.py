"""Overdue items warn the unit that owes the step, once a day; the inbox marks them."""

from datetime import timedelta

from django.utils import timezone

from feedback.models import State
from feedback.selectors import feedback_inbox, feedback_overdue
from feedback.services.overdue import overdue_warn
from notifications.models import Notification

from .conftest import at


def test_overdue_answer_and_forward_warn_their_units(pakn, make_item):
    late_answer = make_item(State.ASSIGNED, answer_due_at=at("2026-03-03 09:00"))
    late_forward = make_item(State.RECEIVED, forward_due_at=at("2026-03-03 09:00"))
    on_time = make_item(State.ASSIGNED, answer_due_at=timezone.now() + timedelta(days=5))
    answered = make_item(State.ANSWERED, answer_due_at=at("2026-03-03 09:00"))
    assert set(feedback_overdue()) == {late_answer, late_forward}
    assert overdue_warn() == 2
    subjects = {(n.recipient, n.subject) for n in Notification.objects.filter(channel="web")}
    assert ("pakn.so", f"Phản ánh {late_answer.code} quá hạn trả lời") in subjects
    assert ("lanhdao", f"Phản ánh {late_answer.code} quá hạn trả lời") in subjects
    assert ("pakn.trungtam", f"Phản ánh {late_forward.code} quá hạn phân loại, chuyển"
            ) in subjects
    assert not any(on_time.code in s or answered.code in s for _, s in subjects)
    # Not again the same day; again the next.
    assert overdue_warn() == 0
    assert overdue_warn(now=timezone.now() + timedelta(days=1)) == 2
    assert late_answer in feedback_inbox(user=pakn.officer, box="overdue")


def test_items_received_in_the_same_instant_keep_one_order(pakn, make_item):
    """make_item receives every item at one moment: ordered by it alone, PostgreSQL returned
    them in any order and the API's offset pages could repeat one and skip another. The newest
    row comes first among them."""
    from feedback.models import Feedback

    for _ in range(4):
        make_item(State.RECEIVED)
    assert Feedback.objects.values("received_at").distinct().count() == 1
    listed = [f.code for f in feedback_inbox(user=pakn.receiver, box="open")]
    assert listed == list(Feedback.objects.order_by("-id").values_list("code", flat=True))
