"""Who is told what: the unit's feedback officers and heads on their "Thông báo" page, the
sender by e-mail and SMS (notifications/, sent after the commit, retried when a gateway fails)."""

from django.conf import settings
from django.urls import reverse

from accounts.models import Role, Unit, User
from accounts.selectors import unit_members
from feedback.models import Feedback
from notifications.services import notify_person, notify_staff


def tell_unit(*, unit: Unit, subject: str, body: str, roles=(Role.FEEDBACK, Role.HEAD)) -> int:
    people: dict[int, User] = {}
    for role in roles:
        for user in unit_members(unit=unit, role=role):
            people[user.pk] = user
    for user in people.values():
        notify_staff(user, subject, body)
    return len(people)


def tell_user(*, user: User, subject: str, body: str) -> None:
    notify_staff(user, subject, body)


def lookup_link(item: Feedback) -> str:
    """The lookup page with the code; the secret is never put in a link sent by SMS or e-mail."""
    return f"{settings.MOTCUA_SITE_URL}{reverse('feedback:lookup')}?ma={item.code}"


def tell_sender(*, item: Feedback, subject: str, body: str) -> None:
    text = f"{body}\n\nTra cứu: {lookup_link(item)} (mã {item.code})."
    sms = f"{subject}. Ma {item.code}. Tra cuu: {lookup_link(item)}"
    notify_person(email=item.sender_email, phone=item.sender_phone, subject=subject, body=text,
                  sms=sms[:480])
