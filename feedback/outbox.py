"""Rows owed to the national PAKN system, written in the change's transaction (the adapter and
its sender live in feedback/national.py)."""

from django.utils import timezone

from feedback.models import Feedback, NationalOutbox


def national_queue(*, feedback: Feedback, message: str) -> NationalOutbox:
    return NationalOutbox.objects.create(feedback=feedback, message=message,
                                         next_try_at=timezone.now())
