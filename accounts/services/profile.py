"""The account holder's own data, which pre-fills the applicant part of a dossier."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accounts.models import User
from accounts.validation import (
    personal_id_birth_year,
    personal_id_problem,
    phone_normalize,
    tax_code_problem,
)
from motcua.errors import DomainError

# The identity provider vouches for these; the person may not overwrite what VNeID said.
VNEID_LOCKED = ("full_name", "personal_id", "birth_date")


def _invalid(field: str, message: str, message_en: str) -> DomainError:
    return DomainError("invalid", message, message_en, fields={field: [message]})


@transaction.atomic
def profile_update(*, user: User, full_name: str, personal_id: str = "",
                   birth_date: date | None = None, address: str = "", phone: str = "",
                   email: str = "", organization_name: str = "", tax_code: str = "",
                   today: date | None = None) -> User:
    """Save the profile after the same checks a dossier's applicant data gets.

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
        for field in VNEID_LOCKED:
            values[field] = getattr(user, field)
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
    for field, value in values.items():
        setattr(user, field, value)
    user.save(update_fields=list(values))
    return user
