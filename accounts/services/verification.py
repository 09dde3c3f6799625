"""One-time codes that prove a person holds an account's e-mail address or phone: a new account
verifies its contact with one, and a person who forgot the password sets a new one with another
(accounts/services/password_reset.py). A code serves only the purpose it was sent for.

Only an HMAC of the code is stored; a code lives MOTCUA_VERIFICATION_CODE_MINUTES, allows
MOTCUA_VERIFICATION_MAX_ATTEMPTS wrong tries, and a new one may be asked for once a minute, so
six digits cannot be guessed by brute force.
"""

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.delivery import code_deliver
from accounts.models import User, VerificationCode
from motcua.errors import DomainError

RESEND_SECONDS = 60  # for each purpose
MAX_CODES_PER_HOUR = 5  # of every purpose together
Purpose = VerificationCode.Purpose


def _minutes() -> int:
    return int(getattr(settings, "MOTCUA_VERIFICATION_CODE_MINUTES", 15))


def _max_attempts() -> int:
    return int(getattr(settings, "MOTCUA_VERIFICATION_MAX_ATTEMPTS", 5))


def _hash(user: User, code: str) -> str:
    return salted_hmac("accounts.verification", f"{user.pk}:{code}",
                       algorithm="sha256").hexdigest()


def _destination(user: User) -> tuple[str, str]:
    """Where the code goes: the identifier the account signed up with."""
    if "@" in user.username:
        return VerificationCode.Channel.EMAIL, user.email or user.username
    return VerificationCode.Channel.PHONE, user.phone or user.username


@transaction.atomic
def verification_issue(*, user: User, purpose: str = Purpose.VERIFY,
                       to: tuple[str, str] | None = None) -> VerificationCode:
    """Make a fresh code for `user` and send it once the transaction has committed.

    `to` is the (channel, destination) to send it to; by default the account's own contact.
    """
    now = timezone.now()
    recent = VerificationCode.objects.filter(user=user, created_at__gte=now - timedelta(hours=1))
    last = recent.filter(purpose=purpose).first()
    if last and (now - last.created_at).total_seconds() < RESEND_SECONDS:
        raise DomainError("verification_too_soon",
                          "Mã xác minh vừa được gửi; vui lòng chờ một phút rồi yêu cầu lại.",
                          "A code was just sent; wait a minute before asking again.",
                          http_status=429)
    if recent.count() >= MAX_CODES_PER_HOUR:
        raise DomainError("verification_too_many",
                          "Đã gửi quá nhiều mã trong một giờ; vui lòng thử lại sau.",
                          "Too many codes sent within an hour; try again later.",
                          http_status=429)
    # Any earlier code for the same purpose stops working: only the last one sent is valid.
    VerificationCode.objects.filter(user=user, purpose=purpose,
                                    used_at__isnull=True).update(expires_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    channel, destination = to or _destination(user)
    minutes = _minutes()
    record = VerificationCode.objects.create(
        user=user, purpose=purpose, channel=channel, destination=destination,
        code_hash=_hash(user, code), expires_at=now + timedelta(minutes=minutes))
    transaction.on_commit(lambda: code_deliver(channel=channel, destination=destination,
                                               code=code, minutes=minutes, purpose=purpose,
                                               ref=f"{purpose}-{record.pk}"))
    return record


def verification_confirm(*, user: User, code: str) -> User:
    """Check `code`; on success the account stops waiting and its contact counts as verified."""

    def verified(_record: VerificationCode) -> None:
        user.awaiting_verification = False
        user.save(update_fields=["awaiting_verification"])

    code_redeem(user=user, code=code, purpose=Purpose.VERIFY, then=verified)
    return user


def code_expired() -> DomainError:
    return DomainError("verification_expired",
                       "Mã xác minh đã hết hạn hoặc không còn hiệu lực; hãy yêu cầu mã mới.",
                       "The code has expired; ask for a new one.", fields={"code": []})


def code_redeem(*, user: User, code: str, purpose: str,
                then: Callable[[VerificationCode], None]) -> None:
    """Check the last code sent to `user` for `purpose`; if right, mark it used and run `then`
    with it in the same transaction. A wrong code counts a try, committed even though an error is
    raised."""
    with transaction.atomic():
        record = (VerificationCode.objects.select_for_update()
                  .filter(user=user, purpose=purpose, used_at__isnull=True).first())
        now = timezone.now()
        if record is None or record.expires_at <= now:
            raise code_expired()
        if record.attempts >= _max_attempts():
            raise DomainError("verification_locked",
                              "Đã nhập sai quá số lần cho phép; hãy yêu cầu mã mới.",
                              "Too many wrong codes; ask for a new one.", fields={"code": []})
        if not constant_time_compare(record.code_hash, _hash(user, code.strip())):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            left = _max_attempts() - record.attempts
            wrong = DomainError("verification_wrong",
                                f"Mã xác minh không đúng; còn {left} lần thử.",
                                f"Wrong code; {left} tries left.", fields={"code": []})
        else:
            record.used_at = now
            record.save(update_fields=["used_at"])
            then(record)
            return
    # Raised after the block so the counted wrong try is committed, not rolled back.
    raise wrong
