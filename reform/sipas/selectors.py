"""Reading SIPAS results: per element and overall, per unit and period, with the response rate.

Element index = answers "Hài lòng" (4) or "Rất hài lòng" (5) to the element's satisfaction
questions / all answers to them × 100 (Decision 1001/QĐ-BNV measures satisfaction as the share of
satisfied and very satisfied). The overall index is the mean of the five element indices, or the
pooled share over every satisfaction answer when `MOTCUA_SIPAS_OVERALL = "pooled"`: domain.md §12
notes the exact formula is to be checked against the decision, hence a setting.

Only aggregates leave this module: no answer sheet, no invitation, no dossier.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q

from accounts.models import Role, Unit, User
from accounts.selectors import unit_subtree_ids, user_has_role, user_unit_ids
from reform.models import (
    SipasAnswer,
    SipasElement,
    SipasInvitation,
    SipasQuestionKind,
    SipasResponse,
    SipasRound,
)
from reform.par.access import sipas_organising_units
from reform.par.scoring import q2

SATISFIED = ("4", "5")


@dataclass
class Results:
    invited: int
    responded: int
    response_rate: Decimal | None
    elements: dict[str, Decimal | None]  # element → index
    overall: Decimal | None
    answers: dict[str, tuple[int, int]] = field(default_factory=dict)  # element → (sat, all)
    # Answer sheets that came through a printed QR slip, and their share of all sheets: the
    # slips pass through the organiser's hands, the sent links do not (audit8).
    printed: int = 0
    printed_share: Decimal | None = None


def _index(satisfied: int, total: int) -> Decimal | None:
    return None if total == 0 else q2(Decimal(satisfied) * 100 / Decimal(total))


def _results(answers, invited: int, responded: int, printed: int = 0) -> Results:
    rows = (answers.filter(question__kind=SipasQuestionKind.SATISFACTION)
            .values("question__element")
            .annotate(total=Count("pk"), sat=Count("pk", filter=Q(value__in=SATISFIED)))
            .order_by())
    counts = {r["question__element"]: (r["sat"], r["total"]) for r in rows}
    elements = {e: _index(*counts.get(e, (0, 0))) for e in SipasElement.values}
    have = [v for v in elements.values() if v is not None]
    if settings.MOTCUA_SIPAS_OVERALL == "pooled":
        overall = _index(sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values()))
    else:
        overall = q2(sum(have) / len(have)) if have else None
    return Results(invited, responded, _index(responded, invited), elements, overall, counts,
                   printed, _index(printed, responded))


def survey_results(survey: SipasRound, unit: Unit | None = None) -> Results:
    """A round's results, for the whole round or one unit's subtree."""
    invitations = SipasInvitation.objects.filter(survey=survey)
    responses = SipasResponse.objects.filter(survey=survey)
    if unit is not None:
        ids = unit_subtree_ids([unit.pk])
        invitations = invitations.filter(unit_id__in=ids)
        responses = responses.filter(unit_id__in=ids)
    answers = SipasAnswer.objects.filter(response__in=responses)
    return _results(answers, invitations.count(), responses.count(),
                    responses.filter(printed_slip=True).count())


def survey_results_by_unit(survey: SipasRound) -> list[tuple[Unit, Results]]:
    unit_ids = set(SipasInvitation.objects.filter(survey=survey).values_list("unit_id",
                                                                             flat=True))
    return [(u, survey_results(survey, u))
            for u in Unit.objects.filter(pk__in=unit_ids).order_by("name")]


def sipas_index_for_unit(*, unit: Unit, start: date, end: date,
                         element: str | None) -> Decimal | None:
    """The unit's index over the survey rounds about results returned in [start, end): the
    PAR Index survey criteria read it (reform/par/live.py). Only the rounds of the province's
    organisers count: one a surveyed unit ran itself, whose links its own officers hold, does
    not score it (reform/par/access.py sipas_organising_units)."""
    surveys = SipasRound.objects.filter(returned_from__gte=start, returned_to__lt=end,
                                        organiser__in=sipas_organising_units())
    ids = unit_subtree_ids([unit.pk])
    responses = SipasResponse.objects.filter(survey__in=surveys, unit_id__in=ids)
    answers = SipasAnswer.objects.filter(response__in=responses)
    result = _results(answers, 0, 0)
    return result.overall if element is None else result.elements[element]


def sipas_printed_share_for_unit(*, unit: Unit, start: date, end: date) -> Decimal | None:
    """The share of the unit's answer sheets, in the rounds `sipas_index_for_unit` reads, that
    came through a printed QR slip (None when there is no sheet)."""
    surveys = SipasRound.objects.filter(returned_from__gte=start, returned_to__lt=end,
                                        organiser__in=sipas_organising_units())
    responses = SipasResponse.objects.filter(survey__in=surveys,
                                             unit_id__in=unit_subtree_ids([unit.pk]))
    counts = responses.aggregate(all=Count("pk"), printed=Count("pk", filter=Q(
        printed_slip=True)))
    return _index(counts["printed"], counts["all"])


def expectations(survey: SipasRound) -> list[dict]:
    """How often each expectation option was chosen, by question."""
    rows = (SipasAnswer.objects.filter(response__survey=survey,
                                       question__kind=SipasQuestionKind.EXPECTATION)
            .values("question__code", "question__text", "value")
            .annotate(n=Count("pk")).order_by("question__code", "-n"))
    return list(rows)


READER_ROLES = (Role.REFORM, Role.APPRAISER, Role.HEAD)


def can_read_survey(user: User, survey: SipasRound) -> bool:
    """The organiser's CCHC officers, appraisers and leaders read a round's aggregates."""
    return any(user_has_role(user, unit_id=survey.organiser_id, role=r) for r in READER_ROLES)


def surveys_visible(user: User):
    if not user.is_authenticated:
        return SipasRound.objects.none()
    ids: set[int] = set()
    for role in READER_ROLES:
        ids |= user_unit_ids(user, role=role)
    return SipasRound.objects.filter(organiser_id__in=ids).select_related("version",
                                                                          "organiser")
