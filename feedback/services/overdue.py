"""Warning staff about overdue items: the unit that owes the step (the receiving unit for the
classification and forward, the handling unit for the answer), at most once a day per item."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from feedback.models import Feedback, State
from feedback.notify import ON_THE_PAGE, tell_unit
from feedback.selectors import feedback_overdue

AGAIN_AFTER = timedelta(hours=20)


def overdue_warn(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = feedback_overdue(now=now).filter(
        Q(overdue_warned_at__isnull=True) | Q(overdue_warned_at__lt=now - AGAIN_AFTER))
    warned = 0
    for item in due:
        with transaction.atomic():
            if not Feedback.objects.filter(pk=item.pk).filter(
                    Q(overdue_warned_at__isnull=True)
                    | Q(overdue_warned_at__lt=now - AGAIN_AFTER)).update(overdue_warned_at=now):
                continue
            if item.state == State.RECEIVED:
                unit, what, when = item.receiving_unit, "phân loại, chuyển", item.forward_due_at
            else:
                unit, what, when = item.handling_unit, "trả lời", item.answer_due_at
            due = f"Hạn {what}: {timezone.localtime(when):%H:%M %d/%m/%Y}."
            tell_unit(unit=unit, subject=f"Phản ánh {item.code} quá hạn {what}",
                      body=f"{item.title}. {due}", outside_body=f"{due} {ON_THE_PAGE}")
            warned += 1
    return warned
