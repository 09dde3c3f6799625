"""Who holds which role where; the account data the pages read."""

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q, TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import (
    IdentityProof,
    Membership,
    PersonalDataAccess,
    Role,
    Unit,
    User,
    VerificationCode,
)
from motcua.inputs import id_parse

_CACHE_ATTR = "_motcua_roles"


def user_roles(user: User) -> frozenset[tuple[int, str]]:
    """(unit id, role) pairs the user holds as staff; cached on the user object for one request.

    An evaluation screen's membership is not a staff role: it opens no staff page, no dossier
    and no API (`user_screen_unit_ids`).
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).exclude(role=Role.SCREEN)
                           .values_list("unit_id", "role"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def user_roles_read(user_id: Any) -> RawSQL:
    """What `user_roles` reads, as one text column ("unit:role,unit:role…") for another
    statement to carry (a dossier action's lock statement, issue #18), so that the roles cost no
    statement of their own; `user_roles_known` takes the value read."""
    q = connection.ops.quote_name
    pair = (f"CAST({q('unit_id')} AS text) || ':' || {q('role')}"
            if connection.vendor == "postgresql" else f"{q('unit_id')} || ':' || {q('role')}")
    agg = f"string_agg({pair}, ',')" if connection.vendor == "postgresql" else \
        f"group_concat({pair}, ',')"
    return RawSQL(f"SELECT {agg} FROM {q(Membership._meta.db_table)} "
                  f"WHERE {q('user_id')} = %s AND {q('role')} <> %s",
                  (user_id, Role.SCREEN), output_field=TextField())


def user_roles_cached(user: User) -> bool:
    """Whether this request has read the user's roles already."""
    return getattr(user, _CACHE_ATTR, None) is not None


def user_roles_known(user: User, read: str | None) -> None:
    """Cache for this request the roles another statement read (`user_roles_read`), unless they
    are cached already."""
    if getattr(user, _CACHE_ATTR, None) is not None or not getattr(user, "is_authenticated", False):
        return
    pairs = (part.split(":", 1) for part in read.split(",")) if read else ()
    setattr(user, _CACHE_ATTR, frozenset((int(unit), role) for unit, role in pairs))


def user_has_role(user: User, *, unit_id: int, role: str) -> bool:
    return (unit_id, role) in user_roles(user)


def user_holding_role(ref: int | str, *, unit_id: int, role: str | None) -> User | None:
    """The active account `ref` (id or username) if it holds `role` in the unit, else None: one
    statement (a dossier handed to a named officer, dossiers/services/transitions.py)."""
    if not role:
        return None
    rows = Membership.objects.filter(unit_id=unit_id, role=role, user__is_active=True)
    pk = id_parse(ref)
    rows = rows.filter(user_id=pk) if pk is not None else rows.filter(user__username=ref)
    found = rows.select_related("user").first()
    return found.user if found else None


def user_unit_ids(user: User, *, role: str | None = None) -> set[int]:
    return {unit_id for unit_id, r in user_roles(user) if role is None or r == role}


def user_is_staff_member(user: User) -> bool:
    return bool(user_roles(user))


def user_screen_unit_ids(user: User) -> set[int]:
    """The units whose desk this account is the evaluation screen of."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user=user, role=Role.SCREEN, unit__is_active=True)
               .values_list("unit_id", flat=True))


def unit_screens(unit_ids: Iterable[int]) -> list[Membership]:
    """The evaluation screens of these units' desks (their accounts, by name)."""
    return list(Membership.objects.filter(unit_id__in=list(unit_ids), role=Role.SCREEN,
                                          user__is_active=True)
                .select_related("user", "unit").order_by("unit__name", "user__full_name",
                                                          "user__username"))


def unit_members(*, unit: Unit, role: str) -> list[User]:
    return list(User.objects.filter(memberships__unit=unit, memberships__role=role, is_active=True)
                .order_by("full_name", "username").distinct())


def user_memberships(user: User) -> list[Membership]:
    """The person's roles with their units, by unit name (the page header lists them)."""
    return list(Membership.objects.filter(user=user).select_related("unit")
                .order_by("unit__name"))


def desk_units(memberships: Iterable[Membership]) -> list[Unit]:
    """Of these roles, the units whose one-stop desk the person staffs: a receiving role in an
    active unit that receives dossiers. There they may enter counter dossiers."""
    units: dict[int, Unit] = {}
    for m in memberships:
        if m.role == Role.RECEIVING and m.unit.receives_dossiers and m.unit.is_active:
            units.setdefault(m.unit.pk, m.unit)
    return list(units.values())


def role_label(role: str) -> str:
    return Role(role).label


# LoaiDoiTuong of the national portal (dossiers.models.ApplicantKind): 1 citizen, 2 business.
_APPLICANT_KIND = {User.Kind.BUSINESS: 2}


def applicant_prefill(user: User) -> dict[str, object]:
    """The applicant part of a dossier form as this account would fill it.

    Keys: kind (LoaiDoiTuong), name, id_number (personal ID, or the enterprise code for a
    business), address, phone, email, birth_date (a date or None). Empty strings where unknown.
    """
    if not getattr(user, "is_authenticated", False):
        return {"kind": 1, "name": "", "id_number": "", "address": "", "phone": "", "email": "",
                "birth_date": None}
    business = user.kind == User.Kind.BUSINESS
    return {
        "kind": _APPLICANT_KIND.get(user.kind, 1),
        "name": (user.organization_name if business else "") or user.display_name,
        "id_number": (user.tax_code if business else user.personal_id) or "",
        "address": user.address,
        "phone": user.phone,
        "email": user.email,
        "birth_date": user.birth_date,
    }


def contacts_waiting(user: User) -> list[VerificationCode]:
    """The new phone and e-mail of the profile sent a code still valid (at most one each: a new
    code voids the older one, accounts/services/verification.py); the profile page asks for
    their codes."""
    purposes = [VerificationCode.Purpose.CONTACT_PHONE, VerificationCode.Purpose.CONTACT_EMAIL]
    return list(VerificationCode.objects.filter(
        user=user, purpose__in=purposes, used_at__isnull=True,
        expires_at__gt=timezone.now()).order_by("purpose"))


_PROVEN_ATTR = "_motcua_proven_ids"


def proven_ids(user: User) -> frozenset[str]:
    """The personal ID and enterprise code this account is proven to stand for (VNeID or a desk
    officer, `IdentityProof`), among the numbers it holds now; cached on the user object for one
    request. Anything keyed by such a number opens through this, never through a typed number.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _PROVEN_ATTR, None)
    if cached is None:
        held = {IdentityProof.Kind.PERSONAL: user.personal_id or "",
                IdentityProof.Kind.ENTERPRISE: user.tax_code or ""}
        # An account holding no number can have none proven (most staff accounts): no query.
        live = (IdentityProof.objects.filter(user=user, revoked_at__isnull=True)
                .values_list("kind", "number")) if any(held.values()) else []
        cached = frozenset(number for kind, number in live if number and held.get(kind) == number)
        setattr(user, _PROVEN_ATTR, cached)
    return cached


def forget_proven_ids(user: User) -> None:
    """Drop the request's cached proofs of `user` (after a proof is recorded or revoked)."""
    if hasattr(user, _PROVEN_ATTR):
        delattr(user, _PROVEN_ATTR)


def proven_personal_id(user: User) -> str:
    """The account's personal ID if it is proven, else ""."""
    pid = getattr(user, "personal_id", None) or ""
    return pid if pid and pid in proven_ids(user) else ""


def identity_proofs_of(user: User) -> list[IdentityProof]:
    """Every proof of the account, live and revoked, newest first (the profile page lists them)."""
    return list(IdentityProof.objects.filter(user=user).select_related("officer", "unit"))


def personal_data_reads_about(numbers: Iterable[str], *, also: Q | None = None,
                              limit: int = 200) -> list[PersonalDataAccess]:
    """Who among staff read the data of these numbers, newest first (the citizen's page), and
    the reads `also` names (those of the feedback items the account sent)."""
    numbers = [n for n in numbers if n]
    rule = Q(subject__in=numbers) if numbers else None
    if also is not None:
        rule = also if rule is None else rule | also
    if rule is None:
        return []
    return list(PersonalDataAccess.objects.filter(rule).select_related("user", "unit")[:limit])


def unit_subtree_ids(roots: Iterable[int]) -> set[int]:
    """The given units and every unit below them (one read of the unit tree)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, pending = set(), list(roots)
    while pending:
        pk = pending.pop()
        if pk not in found:
            found.add(pk)
            pending.extend(children.get(pk, []))
    return found


def personal_data_log(*, viewer: User, date_from=None, date_to=None, subject: str = "",
                      officer: str = "", action: str = "", unit_id: int | None = None):
    """The personal-data access log an administrator may read, newest first: every read by staff
    acting for a unit under the units they administer (all of it for a superuser)."""
    rows = PersonalDataAccess.objects.select_related("user", "unit")
    if not viewer.is_superuser:
        admin_units = user_unit_ids(viewer, role=Role.ADMIN)
        if not admin_units:
            return rows.none()
        rows = rows.filter(unit_id__in=unit_subtree_ids(admin_units))
    if date_from:
        rows = rows.filter(at__date__gte=date_from)
    if date_to:
        rows = rows.filter(at__date__lte=date_to)
    if subject:
        rows = rows.filter(subject=subject.strip())
    if officer:
        rows = rows.filter(user__username__icontains=officer.strip())
    if action:
        rows = rows.filter(action=action)
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    return rows
