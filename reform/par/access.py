"""Who may do what in a PAR Index round (reads only).

- A unit's CCHC officers (Role.REFORM) and leaders (Role.HEAD) fill and submit its own
  self-assessment, and see only their unit's assessments.
- The appraisal team (Role.APPRAISER in the round's organiser, the Department of Home Affairs,
  or in the province's top unit, the steering committee) accepts, adjusts or returns the
  assessments of the round — never one of a unit the appraiser belongs to (audit8).
- The organiser's CCHC officers (Role.REFORM there) open rounds and publish the results.
"""

from django.db.models import Q, QuerySet

from accounts.models import Membership, Role, Unit, User
from accounts.selectors import user_has_role, user_unit_ids
from reform.models import ParAssessment, ParRound

FILLER_ROLES = (Role.REFORM, Role.HEAD)


def can_fill(user: User, assessment: ParAssessment) -> bool:
    return any(user_has_role(user, unit_id=assessment.unit_id, role=r) for r in FILLER_ROLES)


def appraisal_team_unit_ids(par_round: ParRound) -> set[int]:
    """The units whose appraisers make up a round's appraisal team: the organiser's (the
    Department of Home Affairs) and the province's top unit (the steering committee, under the
    People's Committee), whose appraisers appraise what the organiser's may not (below)."""
    return {par_round.organiser_id,
            *Unit.objects.filter(parent__isnull=True).values_list("pk", flat=True)}


def is_appraiser(user: User, par_round: ParRound) -> bool:
    """A member of the round's appraisal team (reads the round, appraises other units)."""
    mine = user_unit_ids(user, role=Role.APPRAISER)
    if not mine:
        return False
    if par_round.organiser_id in mine:
        return True
    return Unit.objects.filter(pk__in=mine, parent__isnull=True).exists()


def appraises_own_unit(user: User, assessment: ParAssessment) -> bool:
    """An appraiser of the team who is also a member of the assessed unit (any role): the
    Department of Home Affairs' appraisers facing the department's own self-assessment."""
    return (is_appraiser(user, assessment.round)
            and assessment.unit_id in user_unit_ids(user))


def may_appraise(user: User, assessment: ParAssessment) -> bool:
    """Whether `user` may score, return or finish the appraisal of `assessment`: a member of
    the round's team who does not belong to the assessed unit. Decision 876/QĐ-BNV has the
    self-assessment appraised by others (the Ministry of Home Affairs with the agencies
    concerned); nobody appraises their own unit's score."""
    return is_appraiser(user, assessment.round) and not appraises_own_unit(user, assessment)


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


def _top_unit_appraiser(user: User) -> bool:
    # An appraiser of the steering committee's top unit sits on every round's team.
    return Unit.objects.filter(parent__isnull=True,
                               pk__in=user_unit_ids(user, role=Role.APPRAISER)).exists()


def filler_unit_ids(user: User) -> set[int]:
    return user_unit_ids(user, role=Role.REFORM) | user_unit_ids(user, role=Role.HEAD)


def assessments_visible(user: User) -> QuerySet[ParAssessment]:
    """The unit's own assessments, and every assessment of the rounds the person organises or
    appraises. Everything else is a 404."""
    if not user.is_authenticated:
        return ParAssessment.objects.none()
    every_round = Q(pk__isnull=False) if _top_unit_appraiser(user) else Q(pk__in=[])
    return ParAssessment.objects.filter(
        Q(unit_id__in=filler_unit_ids(user))
        | Q(round__organiser_id__in=organiser_unit_ids(user)) | every_round).select_related(
        "round", "round__criteria_set", "round__organiser", "unit")


def rounds_visible(user: User) -> QuerySet[ParRound]:
    if not user.is_authenticated:
        return ParRound.objects.none()
    every_round = Q(pk__isnull=False) if _top_unit_appraiser(user) else Q(pk__in=[])
    return ParRound.objects.filter(
        every_round | Q(organiser_id__in=organiser_unit_ids(user))
        | Q(assessments__unit_id__in=filler_unit_ids(user))).distinct().select_related(
        "criteria_set", "organiser")
