"""Self sign-up of a citizen or a business with an e-mail address or a mobile number."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services.verification import verification_issue
from accounts.validation import personal_id_problem, phone_normalize, tax_code_problem
from motcua.errors import DomainError

# A sign-up that never proved its e-mail or phone holds nothing; after this long it no longer
# blocks the identifier or the personal ID it named.
ABANDONED_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Identifier:
    """What a person types to log in: an e-mail (lower-cased) or a mobile number (0XXXXXXXXX)."""

    value: str
    is_email: bool


def identifier_parse(raw: str) -> Identifier | None:
    raw = (raw or "").strip()
    if "@" in raw:
        try:
            validate_email(raw)
        except ValidationError:
            return None
        return Identifier(raw.lower(), True)
    phone = phone_normalize(raw)
    return Identifier(phone, False) if phone else None


def password_check(password: str, user: User | None) -> None:
    """Django's password validators, their Vietnamese messages on the password field."""
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise DomainError("invalid", " ".join(e.messages), "The password is too weak.",
                          fields={"password": e.messages}) from None


def _invalid(field: str, message: str, message_en: str) -> DomainError:
    return DomainError("invalid", message, message_en, fields={field: [message]})


def account_signup(*, kind: str, identifier: str, password: str, full_name: str,
                   personal_id: str = "", organization_name: str = "",
                   tax_code: str = "") -> User:
    """Create an account that waits for its verification code, and send the code.

    Raises DomainError naming the field at fault. The account cannot log in until
    `verification_confirm` accepts the code.
    """
    if kind not in (User.Kind.CITIZEN, User.Kind.BUSINESS):
        raise _invalid("kind", "Loại tài khoản không hợp lệ.", "Invalid account kind.")
    parsed = identifier_parse(identifier)
    if parsed is None:
        raise _invalid("identifier",
                       "Nhập địa chỉ thư điện tử hoặc số điện thoại di động (10 chữ số, "
                       "ví dụ 0912345678).",
                       "Enter an e-mail address or a Vietnamese mobile number.")
    full_name = " ".join(full_name.split())
    if not full_name:
        raise _invalid("full_name", "Vui lòng nhập họ và tên.", "Full name is required.")
    personal_id = personal_id.strip()
    if personal_id and (problem := personal_id_problem(personal_id)):
        raise _invalid("personal_id", problem, "Invalid personal ID number.")
    if kind == User.Kind.BUSINESS:
        organization_name = " ".join(organization_name.split())
        if not organization_name:
            raise _invalid("organization_name", "Vui lòng nhập tên doanh nghiệp, tổ chức.",
                           "Organisation name is required.")
        tax_code = tax_code.strip()
        if problem := tax_code_problem(tax_code):
            raise _invalid("tax_code", problem, "Invalid enterprise (tax) code.")
    else:
        organization_name = tax_code = ""
    candidate = User(username=parsed.value, full_name=full_name,
                     email=parsed.value if parsed.is_email else "",
                     phone="" if parsed.is_email else parsed.value)
    password_check(password, candidate)

    with transaction.atomic():
        User.objects.filter(awaiting_verification=True,
                            date_joined__lt=timezone.now() - ABANDONED_AFTER).delete()
        if User.objects.filter(username__iexact=parsed.value).exists():
            raise _invalid("identifier",
                           "Thư điện tử hoặc số điện thoại này đã được dùng cho một tài khoản "
                           "khác. Hãy đăng nhập hoặc dùng chức năng quên mật khẩu.",
                           "This e-mail or phone already has an account.")
        if personal_id and User.objects.filter(personal_id=personal_id).exists():
            raise _invalid("personal_id",
                           "Số định danh cá nhân này đã gắn với một tài khoản khác.",
                           "This personal ID already belongs to another account.")
        candidate.kind = kind
        candidate.personal_id = personal_id or None
        candidate.organization_name = organization_name
        candidate.tax_code = tax_code
        candidate.awaiting_verification = True
        candidate.set_password(password)
        candidate.save()
        verification_issue(user=candidate)
    return candidate
