"""Who may do what in a PAR Index round (reads only).

- A unit's CCHC officers (Role.REFORM) and leaders (Role.HEAD) fill and submit its own
  self-assessment, and see only their unit's assessments.
- The appraisal team (Role.APPRAISER in the round's organiser, the Department of Home Affairs)
  accepts, adjusts or returns every assessment of the round.
- The organiser's CCHC officers (Role.REFORM there) open rounds and publish the results.
"""

from django.db.models import Q, QuerySet

from accounts.models import Membership, Role, Unit, User
from accounts.selectors import user_has_role, user_unit_ids
from reform.models import ParAssessment, ParRound

FILLER_ROLES = (Role.REFORM, Role.HEAD)


def can_fill(user: User, assessment: ParAssessment) -> bool:
    return any(user_has_role(user, unit_id=assessment.unit_id, role=r) for r in FILLER_ROLES)


def is_appraiser(user: User, par_round: ParRound) -> bool:
    return user_has_role(user, unit_id=par_round.organiser_id, role=Role.APPRAISER)


def organises(user: User, unit_id: int) -> bool:
    return user_has_role(user, unit_id=unit_id, role=Role.REFORM)


def par_organiser_unit_ids(user: User) -> set[int]:
    """The units in which `user` may import criteria sets and open PAR Index rounds: those
    where they hold the CCHC role and which have an appraisal team (Role.APPRAISER there — the
    Department of Home Affairs, Decision 876/QĐ-BNV). Every unit has CCHC officers; an assessed
    department's own officer must not replace the province's criteria set nor open rounds over
    the other units (and a round without appraisers could never be finished)."""
    units = user_unit_ids(user, role=Role.REFORM)
    if not units:
        return set()
    return set(Membership.objects.filter(unit_id__in=units, role=Role.APPRAISER,
                                         user__is_active=True)
               .values_list("unit_id", flat=True))


def sipas_organising_units() -> QuerySet[Unit]:
    """The units whose SIPAS rounds are the province's survey (Decision 1001/QĐ-BNV: organised
    by the Home Affairs side, not by the units surveyed): a top unit (the province's committee)
    or a unit with an appraisal team (the Department of Home Affairs). A round's organiser
    prints every unused one-time link (the QR slips), so a round a department ran over its own
    dossiers could be answered by its own officers — and the PAR Index's survey criteria read
    the SIPAS index (reform/sipas/selectors.py)."""
    appraised = Membership.objects.filter(role=Role.APPRAISER, user__is_active=True)
    return Unit.objects.filter(Q(parent__isnull=True) | Q(pk__in=appraised.values("unit_id")))


def sipas_organiser_unit_ids(user: User) -> set[int]:
    """The units in which `user` may open SIPAS rounds: their CCHC units among those above."""
    units = user_unit_ids(user, role=Role.REFORM)
    if not units:
        return set()
    return set(sipas_organising_units().filter(pk__in=units).values_list("pk", flat=True))


def is_organiser(user: User, par_round: ParRound) -> bool:
    return organises(user, par_round.organiser_id)


def organiser_unit_ids(user: User) -> set[int]:
    return user_unit_ids(user, role=Role.REFORM) | user_unit_ids(user, role=Role.APPRAISER)


def filler_unit_ids(user: User) -> set[int]:
    return user_unit_ids(user, role=Role.REFORM) | user_unit_ids(user, role=Role.HEAD)


def assessments_visible(user: User) -> QuerySet[ParAssessment]:
    """The unit's own assessments, and every assessment of the rounds the person organises or
    appraises. Everything else is a 404."""
    if not user.is_authenticated:
        return ParAssessment.objects.none()
    return ParAssessment.objects.filter(
        Q(unit_id__in=filler_unit_ids(user))
        | Q(round__organiser_id__in=organiser_unit_ids(user))).select_related(
        "round", "round__criteria_set", "round__organiser", "unit")


def rounds_visible(user: User) -> QuerySet[ParRound]:
    if not user.is_authenticated:
        return ParRound.objects.none()
    return ParRound.objects.filter(
        Q(organiser_id__in=organiser_unit_ids(user))
        | Q(assessments__unit_id__in=filler_unit_ids(user))).distinct().select_related(
        "criteria_set", "organiser")
