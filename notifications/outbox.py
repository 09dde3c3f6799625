"""Writing notifications: rows in the outbox, in the transaction of the change that caused them.

`notification_record` is listed in settings.MOTCUA_EVENT_CONSUMERS (dossiers/events.py calls it
inside the transaction of every state change). It only writes rows: nothing is sent from inside
the transaction, so a slow or failing gateway can never hold up or undo a dossier's change. After
the commit, `transaction.on_commit` tries to deliver the new rows at once; whatever fails stays
pending for `manage.py notifications_send`, which retries with back-off.
"""

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from dossiers.models import Dossier, DossierEvent
from motcua.prepared import rows_insert
from notifications.messages import event_message
from notifications.models import Channel, Kind, Notification
from notifications.sms import phone_normalised, sms_gateway

log = logging.getLogger(__name__)


def applicant_email(dossier: Dossier) -> str:
    """The e-mail a dossier's applicant is told at: the one on the dossier, else their account's."""
    if dossier.applicant_email:
        return dossier.applicant_email
    if dossier.applicant_user_id:
        return dossier.applicant_user.email or ""
    return ""


def notification_record(*, event: DossierEvent, dossier: Dossier) -> None:
    """Event consumer: the applicant's SMS and e-mail for `event`, if it is one they are told."""
    phone = phone_normalised(dossier.applicant_phone)
    if phone and sms_gateway() is None:
        phone = ""
    email = applicant_email(dossier)
    if not phone and not email:
        # No one to tell: the message is not rendered (a filing at the counter often gives
        # neither a phone nor an e-mail address; issue #18).
        return
    message = event_message(event=event, dossier=dossier)
    if message is None:
        return
    kind = _kind_of(event)
    # The lookup link carries the dossier's secret: struck from the rows once sent.
    secrets = [dossier.lookup_secret] if dossier.lookup_secret else []
    rows = []
    if phone:
        rows.append(Notification(dossier=dossier, event=event, kind=kind, channel=Channel.SMS,
                                 recipient=phone, body=message.sms, secrets=secrets))
    if email:
        rows.append(Notification(dossier=dossier, event=event, kind=kind,
                                 channel=Channel.EMAIL, recipient=email,
                                 subject=message.subject, body=message.email, secrets=secrets))
    notifications_queue(rows)


def _kind_of(event: DossierEvent) -> str:
    from notifications.messages import EVENT_KINDS

    return EVENT_KINDS[event.action]


def staff_notifications(*, user: User, subject: str, body: str,
                        outside_body: str | None = None) -> list[Notification]:
    """The rows telling one staff member something: always on their "Thông báo" page, by
    e-mail if they have an address, by SMS if a phone. `outside_body`, when given, is what the
    e-mail and SMS say instead of `body`: a body quoting what the public typed (a feedback
    item's title, an evaluation's comment) stays on the page, so that no one makes the
    authority's gateway carry their text — a link, a false notice — to an officer's phone."""
    now = timezone.now()
    web = Notification.objects.create(
        recipient_user=user, kind=Kind.STAFF, channel=Channel.WEB, recipient=user.username,
        subject=subject, body=body, status=Notification.Status.SENT, next_try_at=now,
        sent_at=now)
    rows = []
    body = body if outside_body is None else outside_body
    if user.email:
        rows.append(Notification(recipient_user=user, kind=Kind.STAFF, channel=Channel.EMAIL,
                                 recipient=user.email, subject=subject, body=body))
    phone = phone_normalised(user.phone)
    if phone and sms_gateway() is not None:
        rows.append(Notification(recipient_user=user, kind=Kind.STAFF, channel=Channel.SMS,
                                 recipient=phone, subject=subject,
                                 body=" ".join(f"{subject}. {body}".split())[:480]))
    return [web, *notifications_queue(rows)]


def notifications_queue(rows: list[Notification]) -> list[Notification]:
    """Save the rows, due now, in one insert (its text built once, motcua/prepared.py), and ask
    for delivery once the surrounding transaction commits."""
    now = timezone.now()
    for row in rows:
        row.next_try_at = now
    rows_insert(rows)
    if rows and settings.MOTCUA_NOTIFY_ON_COMMIT:
        # robust: a failure in delivery is logged, never raised into the committed request.
        transaction.on_commit(partial(_deliver_after_commit, [r.pk for r in rows]), robust=True)
    return rows


def _deliver_after_commit(ids: list[int]) -> None:
    from notifications.delivery import notifications_deliver

    try:
        notifications_deliver(ids=ids)
    except Exception:  # the rows stay pending; the retry command picks them up
        log.exception("notifications: delivery after commit failed for %s", ids)
