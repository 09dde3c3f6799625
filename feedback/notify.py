"""Who is told what: the unit's feedback officers and heads on their "Thông báo" page, the
sender by e-mail and SMS (notifications/, sent after the commit, retried when a gateway fails)."""

from django.conf import settings
from django.urls import reverse

from accounts.models import Role, Unit, User
from accounts.selectors import unit_members
from feedback.models import Feedback
from notifications.services import notify_person, notify_staff


def tell_unit(*, unit: Unit, subject: str, body: str, roles=(Role.FEEDBACK, Role.HEAD),
              outside_body: str | None = None) -> int:
    """`outside_body`: the e-mail's and SMS's text when `body` quotes what the sender typed
    (the title, a rating's note): that stays on the officers' page (notify_staff)."""
    people: dict[int, User] = {}
    for role in roles:
        for user in unit_members(unit=unit, role=role):
            people[user.pk] = user
    for user in people.values():
        notify_staff(user, subject, body, outside_body=outside_body)
    return len(people)


def tell_user(*, user: User, subject: str, body: str, outside_body: str | None = None) -> None:
    notify_staff(user, subject, body, outside_body=outside_body)


ON_THE_PAGE = "Xem nội dung tại trang Phản ánh, kiến nghị của hệ thống."


def lookup_link(item: Feedback) -> str:
    """The lookup page with the code; the secret is never put in a link sent by SMS or e-mail."""
    return f"{settings.MOTCUA_SITE_URL}{reverse('feedback:lookup')}?ma={item.code}"


def tell_sender(*, item: Feedback, subject: str, body: str, sms_extra: str = "") -> None:
    """E-mail with the whole text; SMS with the subject, `sms_extra` and the lookup link."""
    text = f"{body}\n\nTra cứu: {lookup_link(item)} (mã {item.code})."
    sms = " ".join(f"{subject}. {sms_extra} Tra cứu: {lookup_link(item)}".split())
    # The receipt names the item's lookup secret: struck from the outbox rows once sent
    # (notifications/redaction.py), whichever message quotes it.
    notify_person(email=item.sender_email, phone=item.sender_phone, subject=subject, body=text,
                  sms=sms[:480], secrets=[item.lookup_secret])
