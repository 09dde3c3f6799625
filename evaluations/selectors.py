"""Reading evaluations: shared by the pages, the API and the service index."""

from datetime import date

from django.db.models import QuerySet, Sum

from accounts.models import Role, User
from accounts.selectors import user_unit_ids
from dossiers.models import Dossier
from evaluations.models import (
    EVALUATION_COUNTER_FIELDS,
    Evaluation,
    EvaluationCounter,
    FollowUp,
    ScreenCall,
)


def evaluation_of(dossier: Dossier) -> Evaluation | None:
    return Evaluation.objects.filter(dossier=dossier).first()


def unconfirmed_for_desk(user: User, *, dossiers: QuerySet[Dossier]) -> QuerySet[Evaluation]:
    """Officer-entered evaluations not yet confirmed, of the `dossiers` (those the desk officer
    sees) received by the units where `user` is a desk officer; newest first."""
    return (Evaluation.objects
            .filter(officer_entered=True, confirmed_at__isnull=True,
                    dossier__in=dossiers.values("pk"),
                    dossier__receiving_unit_id__in=user_unit_ids(user, role=Role.RECEIVING))
            .select_related("dossier__procedure").order_by("-created_at"))


def _reader_units(user: User) -> set[int]:
    # The heads close follow-ups; the unit's administrators may read the list too (the same
    # people who see the unit's dashboard).
    return user_unit_ids(user, role=Role.HEAD) | user_unit_ids(user, role=Role.ADMIN)


def follow_ups_for(user: User) -> QuerySet[FollowUp]:
    """The follow-ups of the units where `user` is head or administrator (all: superuser)."""
    qs = FollowUp.objects.select_related("evaluation__dossier__procedure", "unit", "closed_by")
    if user.is_superuser:
        return qs
    return qs.filter(unit_id__in=_reader_units(user))


def user_sees_follow_ups(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or _reader_units(user)))


def evaluation_sums_by_unit(*, unit_ids: list[int] | None, start: date,
                            end: date) -> dict[int, dict[str, int]]:
    """Counter sums per unit over the days [start, end): one grouped query (every unit's when
    `unit_ids` is None)."""
    units = {} if unit_ids is None else {"unit_id__in": unit_ids}
    rows = (EvaluationCounter.objects
            .filter(day__gte=start, day__lt=end, **units)
            .values("unit_id").annotate(**{f"s_{n}": Sum(n) for n in EVALUATION_COUNTER_FIELDS})
            .order_by())
    return {r["unit_id"]: {n: r[f"s_{n}"] or 0 for n in EVALUATION_COUNTER_FIELDS}
            for r in rows}


def screen_call_open(screen: User) -> ScreenCall | None:
    """The form the evaluation screen shows now, if any."""
    return (ScreenCall.objects.filter(screen=screen, closed_at__isnull=True)
            .select_related("dossier__procedure").first())
