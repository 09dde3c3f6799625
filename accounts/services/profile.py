"""The account holder's own data, which pre-fills the applicant part of a dossier.

The phone and e-mail are where the dossier's notifications go. A new one is used only once its
holder has entered the code sent to it, so that a mistyped number does not send a stranger news
of the dossier; until then the account keeps the contact it had.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accounts.models import User, VerificationCode
from accounts.selectors import proven_ids
from accounts.services.verification import code_redeem, verification_issue
from accounts.validation import (
    personal_id_birth_year,
    personal_id_problem,
    phone_normalize,
    tax_code_problem,
)
from motcua.errors import DomainError

# The identity provider vouches for these; the person may not overwrite what VNeID said.
VNEID_LOCKED = ("full_name", "personal_id", "birth_date")


Purpose = VerificationCode.Purpose
# Profile field → the purpose of the code that proves a new value, and the channel it goes by.
CONTACTS = {"phone": (Purpose.CONTACT_PHONE, VerificationCode.Channel.PHONE),
            "email": (Purpose.CONTACT_EMAIL, VerificationCode.Channel.EMAIL)}


def _invalid(field: str, message: str, message_en: str) -> DomainError:
    return DomainError("invalid", message, message_en, fields={field: [message]})


@dataclass(frozen=True)
class ProfileSaved:
    user: User
    # Profile field → the new value a code was sent to; the field keeps its value until then.
    waiting: dict[str, str] = field(default_factory=dict)


def _contact_changes(user: User, values: dict[str, str]) -> dict[str, str]:
    """Take out of `values` the new phone and e-mail that need proof, and send each its code.

    Needs no proof: the same value, an empty one (removing a contact), or the identifier the
    account logs in with (proven at sign-up).
    """
    waiting = {}
    for name, (purpose, channel) in CONTACTS.items():
        new = values[name]
        if new in ("", getattr(user, name), user.username):
            continue
        try:
            verification_issue(user=user, purpose=purpose, to=(channel, new))
        except DomainError as e:
            raise DomainError(e.code, e.message, e.message_en, fields={name: [e.message]},
                              http_status=e.http_status) from None
        waiting[name] = new
        del values[name]
    return waiting


@transaction.atomic
def profile_update(*, user: User, full_name: str, personal_id: str = "",
                   birth_date: date | None = None, address: str = "", phone: str = "",
                   email: str = "", organization_name: str = "", tax_code: str = "",
                   today: date | None = None) -> ProfileSaved:
    """Save the profile after the same checks a dossier's applicant data gets; a new phone or
    e-mail waits for its code (`contact_confirm`).

    The login identifier (username) does not change here: it stays the e-mail or phone the
    account signed up with.
    """
    today = today or date.today()
    values = {
        "full_name": " ".join(full_name.split()),
        "personal_id": personal_id.strip() or None,
        "birth_date": birth_date,
        "address": " ".join(address.split()),
        "email": email.strip().lower(),
        "organization_name": " ".join(organization_name.split()),
        "tax_code": tax_code.strip(),
    }
    if user.vneid_verified:
        for name in VNEID_LOCKED:
            values[name] = getattr(user, name)
    # A proven number stays: a desk officer or VNeID vouched for it (accounts/services/identity).
    proven = proven_ids(user)
    for name in ("personal_id", "tax_code"):
        if getattr(user, name) and getattr(user, name) in proven:
            values[name] = getattr(user, name)
    if not values["full_name"]:
        raise _invalid("full_name", "Vui lòng nhập họ và tên.", "Full name is required.")
    pid = values["personal_id"]
    if pid and not user.vneid_verified:
        if problem := personal_id_problem(pid, today=today):
            raise _invalid("personal_id", problem, "Invalid personal ID number.")
        if User.objects.filter(personal_id=pid).exclude(pk=user.pk).exists():
            raise _invalid("personal_id",
                           "Số định danh cá nhân này đã gắn với một tài khoản khác.",
                           "This personal ID already belongs to another account.")
    born = values["birth_date"]
    if born and not user.vneid_verified:
        if born > today:
            raise _invalid("birth_date", "Ngày sinh không được ở tương lai.",
                           "Date of birth is in the future.")
        if pid and personal_id_birth_year(pid) != born.year:
            raise _invalid("birth_date",
                           f"Năm sinh {born.year} không khớp với số định danh cá nhân "
                           f"(năm {personal_id_birth_year(pid)}).",
                           "Year of birth does not match the personal ID.")
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            raise _invalid("email", "Địa chỉ thư điện tử không hợp lệ.",
                           "Invalid e-mail address.") from None
    if phone.strip():
        normalized = phone_normalize(phone)
        if not normalized:
            raise _invalid("phone", "Số điện thoại di động phải gồm 10 chữ số, ví dụ 0912345678.",
                           "Invalid mobile number.")
        values["phone"] = normalized
    else:
        values["phone"] = ""
    if user.kind == User.Kind.BUSINESS and values["tax_code"]:
        if problem := tax_code_problem(values["tax_code"]):
                raise _invalid("tax_code", problem, "Invalid enterprise (tax) code.")
    waiting = _contact_changes(user, values)
    for name, value in values.items():
        setattr(user, name, value)
    user.save(update_fields=list(values))
    return ProfileSaved(user, waiting)


def contact_confirm(*, user: User, purpose: str, code: str) -> User:
    """Put the phone or e-mail the code was sent to on the profile, if `code` is right."""
    name = next((n for n, (p, _) in CONTACTS.items() if p == purpose), None)
    if name is None:
        raise _invalid("code", "Không có thông tin liên hệ nào đang chờ xác minh.",
                       "No contact is waiting for verification.")

    def use(record: VerificationCode) -> None:
        setattr(user, name, record.destination)
        user.save(update_fields=[name])

    code_redeem(user=user, code=code, purpose=purpose, then=use)
    return user
