"""What other apps call to tell someone something."""

from accounts.models import User
from notifications.models import Notification
from notifications.outbox import staff_notifications


def notify_staff(user: User, subject: str, body: str) -> list[Notification]:
    """Tell a staff member by e-mail (and SMS when they have a phone); returns the rows written.

    Writes outbox rows only, so it is safe inside a transaction; delivery happens after the
    commit and, failing that, through `manage.py notifications_send`. A person with neither an
    e-mail nor a phone gets nothing (the empty list), which the caller may report.
    """
    return staff_notifications(user=user, subject=subject, body=body)
