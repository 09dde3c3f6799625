"""Proving who an account belongs to: by VNeID, or by an officer at a one-stop desk.

A password account may hold a personal ID (or a business account an enterprise code) typed at
sign-up or on the profile; that number proves nothing and opens nothing keyed by it. It becomes
the account's proven identity when VNeID vouches for it (Decree 69/2024/NĐ-CP) or when a desk
officer has seen the person's identity paper — or the business's registration certificate and
the representative's authorisation — and records it here, with who, where, when and which paper.

A proof takes the number from any account that merely typed it: otherwise whoever typed a
stranger's number first would keep its real holder out (of a VNeID log-in, of a desk proof).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import IdentityProof, PersonalDataAccess, Role, Unit, User
from accounts.selectors import forget_proven_ids, user_has_role
from accounts.services.data_access import personal_data_read
from accounts.services.signup import identifier_parse
from accounts.validation import personal_id_problem, tax_code_problem
from motcua.errors import DomainError

# Where the proof lives on the account, by kind of number.
_FIELD = {IdentityProof.Kind.PERSONAL: "personal_id", IdentityProof.Kind.ENTERPRISE: "tax_code"}


def _invalid(field: str, message: str, message_en: str) -> DomainError:
    return DomainError("invalid", message, message_en, fields={field: [message]})


def number_is_proven(*, kind: str, number: str, user: User) -> bool:
    """Whether `user` holds a live proof of `number` (before the request-cached selector)."""
    return IdentityProof.objects.filter(user=user, kind=kind, number=number,
                                        revoked_at__isnull=True).exists()


def identity_number_release(*, kind: str, number: str, keep: User | None) -> list[User]:
    """Clear `number` from every account but `keep` that holds it without a proof; returns them.
    Refused (409) when another account holds a live proof of it."""
    field = _FIELD[kind]
    proven_elsewhere = IdentityProof.objects.filter(kind=kind, number=number,
                                                    revoked_at__isnull=True)
    if keep is not None and keep.pk:
        proven_elsewhere = proven_elsewhere.exclude(user=keep)
    if proven_elsewhere.exists():
        raise DomainError("identity_taken",
                          "Số này đã được xác thực cho một tài khoản khác. Quản trị hệ thống phải "
                          "thu hồi xác thực cũ (ghi rõ lý do) trước khi xác thực lại.",
                          "This number is already proven for another account; an administrator "
                          "must revoke that proof first.", http_status=409)
    holders = User.objects.select_for_update().filter(**{field: number})
    if keep is not None and keep.pk:
        holders = holders.exclude(pk=keep.pk)
    holders = list(holders)
    for holder in holders:
        setattr(holder, field, None if field == "personal_id" else "")
        holder.save(update_fields=[field])
    return holders


def _record(*, user: User, kind: str, number: str, method: str, at: datetime,
            officer: User | None = None, unit: Unit | None = None,
            paper: str = "") -> IdentityProof:
    forget_proven_ids(user)
    live = IdentityProof.objects.filter(user=user, kind=kind, revoked_at__isnull=True)
    same = live.filter(number=number, method=method).first()
    if same is not None and method == IdentityProof.Method.VNEID:
        return same  # every VNeID log-in vouches again; one row says it
    live.exclude(number=number).update(revoked_at=at, revoked_by=officer,
                                       revoke_reason="Xác thực số khác cho tài khoản")
    try:
        with transaction.atomic():
            return IdentityProof.objects.create(user=user, kind=kind, number=number,
                                                method=method, officer=officer, unit=unit,
                                                paper=paper, at=at)
    except IntegrityError:
        # The same number proven again for the same account (by the other method, or by a
        # second desk visit): the earlier proof stays live and this visit adds nothing.
        return live.get(number=number)


@transaction.atomic
def identity_prove_vneid(*, user: User, personal_id: str,
                         at: datetime | None = None) -> IdentityProof:
    """VNeID vouched for `personal_id` on this account's log-in (accounts/services/vneid.py)."""
    at = at or timezone.now()
    identity_number_release(kind=IdentityProof.Kind.PERSONAL, number=personal_id, keep=user)
    return _record(user=user, kind=IdentityProof.Kind.PERSONAL, number=personal_id,
                   method=IdentityProof.Method.VNEID, at=at)


@dataclass(frozen=True)
class DeskProof:
    proof: IdentityProof
    account: User
    released_from: list[User]


def account_for_desk(*, identifier: str) -> User | None:
    """The citizen or business account a person names at the desk by its login (e-mail, mobile
    number or username); staff accounts are never proven this way."""
    raw = (identifier or "").strip()
    if not raw:
        return None
    parsed = identifier_parse(raw)
    rule = Q(username=raw)
    if parsed is not None:
        rule |= Q(username=parsed.value) | (Q(email=parsed.value) if parsed.is_email
                                             else Q(phone=parsed.value))
    found = list(User.objects.filter(rule, is_active=True)
                 .exclude(kind=User.Kind.STAFF)[:2])
    return found[0] if len(found) == 1 else None


def desk_account_shown(*, officer: User, unit: Unit, account: User, number: str) -> None:
    """The find step shows the officer the account's declared name and number before anything
    is confirmed: a read of that person's data, logged as the proof itself is (Decree 13/2023
    art. 9). Until audit10 it was not, and any desk officer could learn, unlogged, the name and
    ID number an account declared from its e-mail address or phone number alone. The subject
    is the number shown (the one typed from the paper when the account declared none)."""
    personal_data_read(actor=officer, unit=unit,
                       subject=account.personal_id or account.tax_code or number,
                       subject_name=account.organization_name or account.display_name,
                       action=PersonalDataAccess.Action.IDENTITY_PROOF,
                       reference=account.username,
                       purpose="Tìm tài khoản để xác thực danh tính tại quầy",
                       outcome="Hiển thị, chưa xác nhận")


@transaction.atomic
def identity_prove_at_desk(*, officer: User, unit: Unit, account: User, kind: str, number: str,
                           paper: str, at: datetime | None = None) -> DeskProof:
    """An officer of `unit`'s one-stop desk saw `paper` and vouches that `account` is held by the
    person (or business) `number` names. The number replaces whatever the account had typed.
    """
    at = at or timezone.now()
    if not (unit.receives_dossiers and unit.is_active
            and user_has_role(officer, unit_id=unit.pk, role=Role.RECEIVING)):
        raise DomainError("permission_denied",
                          "Chỉ cán bộ tiếp nhận của bộ phận một cửa được xác thực danh tính.",
                          "Only a one-stop desk officer may prove identities.", http_status=403)
    number = (number or "").strip()
    paper = " ".join((paper or "").split())
    if kind == IdentityProof.Kind.PERSONAL:
        if problem := personal_id_problem(number):
            raise _invalid("number", problem, "Invalid personal ID number.")
    elif kind == IdentityProof.Kind.ENTERPRISE:
        if account.kind != User.Kind.BUSINESS:
            raise _invalid("kind", "Chỉ tài khoản doanh nghiệp, tổ chức được xác thực mã số "
                                   "doanh nghiệp.", "Only business accounts hold an enterprise "
                                                     "code.")
        if problem := tax_code_problem(number):
            raise _invalid("number", problem, "Invalid enterprise code.")
    else:
        raise _invalid("kind", "Loại số cần xác thực không hợp lệ.", "Unknown kind of number.")
    if not paper:
        raise _invalid("paper", "Ghi rõ giấy tờ đã đối chiếu (loại, số, ngày cấp).",
                       "Name the paper you checked.")
    if account.kind == User.Kind.STAFF:
        raise DomainError("not_found", "Không tìm thấy tài khoản công dân, doanh nghiệp này.",
                          "No such citizen or business account.", http_status=404)
    account = User.objects.select_for_update().get(pk=account.pk)
    field = _FIELD[kind]
    if kind == IdentityProof.Kind.PERSONAL and account.vneid_verified \
            and account.personal_id != number:
        raise _invalid("number", "Tài khoản đã được VNeID xác thực với một số định danh khác.",
                       "The account is proven by VNeID for another personal ID.")
    released = identity_number_release(kind=kind, number=number, keep=account)
    if getattr(account, field) != number:
        setattr(account, field, number)
        account.save(update_fields=[field])
    proof = _record(user=account, kind=kind, number=number, method=IdentityProof.Method.DESK,
                    at=at, officer=officer, unit=unit, paper=paper[:255])
    personal_data_read(actor=officer, unit=unit, subject=number,
                       subject_name=account.organization_name or account.display_name,
                       action=PersonalDataAccess.Action.IDENTITY_PROOF,
                       reference=account.username, purpose="Xác thực danh tính tài khoản",
                       at=at)
    return DeskProof(proof, account, released)


@transaction.atomic
def identity_revoke(*, proof: IdentityProof, by: User, reason: str,
                    at: datetime | None = None) -> IdentityProof:
    """End a proof (a mistaken desk proof, an account handed to someone else); kept with why."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise _invalid("reason", "Phải ghi lý do thu hồi.", "A reason is required.")
    proof = IdentityProof.objects.select_for_update().get(pk=proof.pk)
    forget_proven_ids(proof.user)
    if proof.revoked_at is None:
        proof.revoked_at = at or timezone.now()
        proof.revoked_by = by
        proof.revoke_reason = reason[:255]
        proof.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return proof
