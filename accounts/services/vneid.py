"""Which account a VNeID log-in opens, from the claims the identity provider vouched for.

The personal ID is the stable identifier. An account is trusted with a personal ID only once
VNeID (or a desk officer, accounts/services/identity.py) has proven it: a local account that
merely typed the number into its profile is never taken over by a VNeID log-in (whoever holds
that account's password would then hold a verified identity). Its owner links VNeID from inside
the account instead (`current_user`). A VNeID log-in for a number some unproven account typed
opens an account of its own and takes the number from the unproven one: a stranger who typed
it first must not keep its holder out.
"""

from datetime import date

from django.db import transaction

from accounts.models import IdentityProof, User
from accounts.services.identity import (
    identity_number_release,
    identity_prove_vneid,
    number_is_proven,
)
from accounts.validation import personal_id_problem
from motcua.errors import DomainError


def _refuse(code: str, message: str, message_en: str) -> DomainError:
    return DomainError(code, message, message_en, http_status=403)


def _birth_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _apply(user: User, *, personal_id: str, claims: dict) -> None:
    user.personal_id = personal_id
    user.vneid_verified = True
    user.awaiting_verification = False
    if name := " ".join(str(claims.get("name") or "").split()):
        user.full_name = name
    if born := _birth_date(claims.get("birthdate")):
        user.birth_date = born
    # Contact details are only filled when missing: the person may keep others for dossiers.
    if not user.email and claims.get("email"):
        user.email = str(claims["email"]).lower()
    if not user.phone and claims.get("phone_number"):
        user.phone = str(claims["phone_number"])


@transaction.atomic
def vneid_user_for_claims(*, claims: dict, personal_id_claim: str = "personal_id",
                          current_user: User | None = None) -> User:
    """The account to log in after VNeID vouched for `claims`; created on first log-in.

    `current_user` is the person already logged in locally who asked to link VNeID.
    Raises DomainError when the claims are unusable or the personal ID belongs elsewhere.
    """
    personal_id = str(claims.get(personal_id_claim) or "").strip()
    if not personal_id or personal_id_problem(personal_id):
        raise _refuse("vneid_bad_claims",
                      "Tài khoản định danh điện tử không trả về số định danh cá nhân hợp lệ.",
                      "The identity provider returned no valid personal ID.")
    holder = User.objects.select_for_update().filter(personal_id=personal_id).first()
    holder_proven = holder is not None and (holder.vneid_verified or number_is_proven(
        kind=IdentityProof.Kind.PERSONAL, number=personal_id, user=holder))
    if current_user is not None and current_user.is_authenticated:
        if holder is not None and holder.pk != current_user.pk and holder_proven:
            raise _refuse("vneid_id_taken",
                          "Số định danh cá nhân này đã gắn với một tài khoản khác.",
                          "This personal ID belongs to another account.")
        if current_user.vneid_verified and current_user.personal_id != personal_id:
            raise _refuse("vneid_mismatch",
                          "Tài khoản đã liên kết với một định danh điện tử khác.",
                          "The account is linked to another electronic identity.")
        user = User.objects.select_for_update().get(pk=current_user.pk)
    elif holder_proven:
        if not holder.is_active:
            raise _refuse("vneid_inactive", "Tài khoản đã bị khóa.", "The account is disabled.")
        user = holder
    else:
        user = User.objects.filter(username=f"vneid-{personal_id}").first() or User(
            username=f"vneid-{personal_id}", kind=User.Kind.CITIZEN)
        if user.pk is None:
            user.set_unusable_password()
    identity_number_release(kind=IdentityProof.Kind.PERSONAL, number=personal_id, keep=user)
    _apply(user, personal_id=personal_id, claims=claims)
    user.save()
    identity_prove_vneid(user=user, personal_id=personal_id)
    return user
