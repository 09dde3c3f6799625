"""What other apps call to tell someone something; a staff member marking messages read."""

from collections.abc import Iterable

from django.utils import timezone

from accounts.models import User
from dossiers.models import Dossier
from notifications.models import Channel, Notification
from notifications.outbox import _applicant_email, notifications_queue, staff_notifications
from notifications.sms import phone_normalised, sms_gateway


def notify_staff(user: User, subject: str, body: str) -> list[Notification]:
    """Tell a staff member on their "Thông báo" page, by e-mail when they have an address and by
    SMS when they have a phone; returns the rows written (the page's first).

    Writes rows only, so it is safe inside a transaction; e-mail and SMS go after the commit
    and, failing that, through `manage.py notifications_send`.
    """
    return staff_notifications(user=user, subject=subject, body=body)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's own page messages read (all of them when `ids` is None)."""
    unread = Notification.objects.filter(recipient_user=user, channel=Channel.WEB,
                                         read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def notify_applicant(*, dossier: Dossier, kind: str, subject: str, sms: str,
                     email: str) -> list[Notification]:
    """Tell a dossier's applicant something that is not a dossier event (a survey invitation):
    by SMS to the dossier's phone when a gateway is configured, by e-mail when an address is
    known. Writes rows only (delivered after the commit); returns them."""
    rows = []
    phone = phone_normalised(dossier.applicant_phone)
    if phone and sms_gateway() is not None:
        rows.append(Notification(dossier=dossier, kind=kind, channel=Channel.SMS,
                                 recipient=phone, body=sms))
    address = _applicant_email(dossier)
    if address:
        rows.append(Notification(dossier=dossier, kind=kind, channel=Channel.EMAIL,
                                 recipient=address, subject=subject, body=email))
    return notifications_queue(rows)
