"""A forgotten password: a one-time code sent to the e-mail or phone the account signs in with,
then a new password set with that code.

The code goes to the sign-in identifier only, the contact the account proved when it signed up;
the e-mail and phone of the profile may have been typed since without proof. Staff accounts
sign in with a name given by the administrator, not with a contact: the administrator sets their
password (Django admin). Asking for a code says nothing about whether an account exists, so the
page cannot be used to learn who holds an account.
"""

from django.db import transaction

from accounts.models import User, VerificationCode
from accounts.services.signup import identifier_parse, password_check
from accounts.services.verification import code_expired, code_redeem, verification_issue
from motcua.errors import DomainError

Purpose = VerificationCode.Purpose


def _account(identifier: str) -> tuple[User, tuple[str, str]] | None:
    """The active account that signs in with `identifier`, and where its code goes."""
    parsed = identifier_parse(identifier)
    if parsed is None:
        return None
    user = User.objects.filter(username=parsed.value, is_active=True).first()
    if user is None:
        return None
    channel = VerificationCode.Channel.EMAIL if parsed.is_email else VerificationCode.Channel.PHONE
    return user, (channel, parsed.value)


def password_reset_request(*, identifier: str) -> bool:
    """Send a code for a new password to the account that signs in with `identifier`.

    Returns whether a code was sent; the page shows the same answer either way. An account
    asked for again within a minute, or more than five times in an hour, is sent nothing new
    (the last code sent stays valid).
    """
    found = _account(identifier)
    if found is None:
        return False
    user, to = found
    try:
        verification_issue(user=user, purpose=Purpose.PASSWORD_RESET, to=to)
    except DomainError:
        return False
    return True


def password_reset_confirm(*, identifier: str, code: str, password: str) -> User:
    """Set `password` on the account that signs in with `identifier` if `code` is the last one
    sent to it for a new password.

    The password is checked first (Django's validators), so a refused password does not use up
    the code. The account's contact is proven by the code, so an account still waiting for its
    sign-up code is verified too. Setting the password signs the account out everywhere else
    (Django checks each session against the password) and clears failed log-ins counted
    against it.
    """
    found = _account(identifier)
    user = found[0] if found else None
    password_check(password, user)
    if user is None:
        raise code_expired()  # as for a real account whose code is wrong: nothing to learn

    def set_password(_record: VerificationCode) -> None:
        user.set_password(password)
        user.awaiting_verification = False
        user.save(update_fields=["password", "awaiting_verification"])

    code_redeem(user=user, code=code, purpose=Purpose.PASSWORD_RESET, then=set_password)
    transaction.on_commit(lambda: _failures_clear(user.username))
    return user


def _failures_clear(username: str) -> None:
    from axes.utils import reset

    reset(username=username)
