"""What other apps call to tell someone something; a staff member marking messages read."""

from collections.abc import Iterable, Sequence

from django.utils import timezone

from accounts.models import User
from notifications.models import Channel, Kind, Notification

# applicant_email: the apps that tell an applicant outside the event consumer read it here.
from notifications.outbox import applicant_email, notifications_queue, staff_notifications
from notifications.sms import phone_normalised, sms_gateway

__all__ = ["applicant_email", "notifications_mark_read", "notify_person", "notify_staff",
           "person_reachable"]


def notify_staff(user: User, subject: str, body: str, *,
                 outside_body: str | None = None) -> list[Notification]:
    """Tell a staff member on their "Thông báo" page, by e-mail when they have an address and by
    SMS when they have a phone; returns the rows written (the page's first). `outside_body`:
    what the e-mail and SMS say instead, when `body` quotes text the public typed.

    Writes rows only, so it is safe inside a transaction; e-mail and SMS go after the commit
    and, failing that, through `manage.py notifications_send`.
    """
    return staff_notifications(user=user, subject=subject, body=body, outside_body=outside_body)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's own page messages read (all of them when `ids` is None)."""
    unread = Notification.objects.filter(recipient_user=user, channel=Channel.WEB,
                                         read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def person_reachable(*, email: str, phone: str) -> bool:
    """Whether notify_person would write a message for this contact (its own rule)."""
    return bool(email) or bool(phone_normalised(phone or "") and sms_gateway() is not None)


def notify_person(*, email: str, phone: str, subject: str, body: str, sms: str,
                  kind: str = Kind.FEEDBACK, secrets: Sequence[str] = ()) -> list[Notification]:
    """Tell someone who is not a dossier's applicant (a feedback sender) by e-mail and SMS.

    `secrets`: what in the texts opens something (a one-time link or code), struck from the rows
    once sent and never shown in the admin (notifications/redaction.py).

    Writes outbox rows only, like `notify_staff`: safe inside the change's transaction; sent
    after the commit and retried by `manage.py notifications_send`.
    """
    rows = []
    kept = [s for s in secrets if s]
    number = phone_normalised(phone or "")
    if number and sms_gateway() is not None:
        rows.append(Notification(kind=kind, channel=Channel.SMS, recipient=number, body=sms,
                                 secrets=kept))
    if email:
        rows.append(Notification(kind=kind, channel=Channel.EMAIL, recipient=email,
                                 subject=subject, body=body, secrets=kept))
    return notifications_queue(rows)
