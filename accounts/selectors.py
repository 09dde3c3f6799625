"""Who holds which role where."""

from accounts.models import Membership, Role, Unit, User

_CACHE_ATTR = "_motcua_roles"


def user_roles(user: User) -> frozenset[tuple[int, str]]:
    """(unit id, role) pairs the user holds; cached on the user object for one request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("unit_id", "role"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def user_has_role(user: User, *, unit_id: int, role: str) -> bool:
    return (unit_id, role) in user_roles(user)


def user_unit_ids(user: User, *, role: str | None = None) -> set[int]:
    return {unit_id for unit_id, r in user_roles(user) if role is None or r == role}


def user_is_staff_member(user: User) -> bool:
    return bool(user_roles(user))


def unit_members(*, unit: Unit, role: str) -> list[User]:
    return list(User.objects.filter(memberships__unit=unit, memberships__role=role, is_active=True)
                .order_by("full_name", "username").distinct())


def unit_receiving_units() -> list[Unit]:
    return list(Unit.objects.filter(receives_dossiers=True, is_active=True).order_by("name"))


def role_label(role: str) -> str:
    return Role(role).label
