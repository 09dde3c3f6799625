"""Reading the PAR Index: an assessment's tree with its scores, results, lost points."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.formats import date_format, localize
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from accounts.models import User
from reform.models import ParAssessment, ParCriterion, ParRound, ParScore, ParScoreEvent
from reform.par import access, scoring


@dataclass
class Row:
    criterion: ParCriterion
    score: ParScore | None  # leaves only
    self_points: Decimal | None  # parents: sum over their leaves
    final_points: Decimal | None
    appraisal_label: str = ""
    declared: str = ""  # the leaf's declared value as the page shows it (Có / Không / 85)


def _final(s: ParScore) -> Decimal | None:
    if s.appraisal == ParScore.Appraisal.PENDING:
        return None
    return None if s.final_value == "na" else s.final_points


def assessment_rows(assessment: ParAssessment, scores: dict[int, ParScore] | None = None,
                    criteria: list[ParCriterion] | None = None) -> list[Row]:
    """The criteria tree in order, each leaf with its score, each parent with its subtotals.
    `scores` (by criterion id, with their files) and `criteria` (in order) when the caller
    read them."""
    if criteria is None:
        criteria = list(assessment.round.criteria_set.criteria.order_by("order"))
    if scores is None:
        scores = {s.criterion_id: s for s in assessment.scores.prefetch_related(
            Prefetch("files"))}
    by_id = {c.pk: c for c in criteria}
    sums: dict[int, list[Decimal]] = {c.pk: [Decimal(0), Decimal(0)] for c in criteria}
    for c in criteria:
        s = scores.get(c.pk)
        if s is None:
            continue
        node = c
        while node is not None:
            sums[node.pk][0] += s.self_points or 0
            sums[node.pk][1] += _final(s) or 0
            node = by_id.get(node.parent_id) if node.parent_id else None
    appraised = assessment.status in (ParAssessment.Status.APPRAISED,
                                      ParAssessment.Status.PUBLISHED)
    # The labels translated once for the page, not once per row.
    labels = {k: str(v) for k, v in ParScore.Appraisal.choices}
    answers = {"yes": _("Có"), "no": _("Không"), "na": _("Không áp dụng")}
    rows = []
    for c in criteria:
        s = scores.get(c.pk)
        if s is not None:
            s.criterion = c  # the row's criterion, so that lost_points(rows=…) reads no more
            rows.append(Row(c, s, s.self_points, _final(s), labels[s.appraisal],
                            answers.get(s.value) or s.value or "—"))
        else:
            rows.append(Row(c, None, scoring.q2(sums[c.pk][0]),
                            scoring.q2(sums[c.pk][1]) if appraised else None))
    return rows


@dataclass
class HistoryEvent:
    """One event of an assessment's history, as the page and the API both read it: plain values
    in one statement (no model per event, actor and criterion), because an assessment of 90
    criteria has a few hundred events and building them as models cost more than the rest of
    the page. The page prints `when` and `change`; the API sends the raw fields."""
    at: datetime
    actor: str | None  # the username; None: the system (live figures read at opening)
    who: str  # the person as the page names them (User.display_name), or "Hệ thống"
    action: str
    label: str  # the action in the reader's language
    code: str  # the criterion's code; "" for an event of the whole assessment
    old_value: str
    old_points: Decimal | None
    new_value: str
    new_points: Decimal | None
    reason: str

    @property
    def when(self) -> str:
        return date_format(localtime(self.at), "d/m/Y H:i")

    @property
    def change(self) -> str:
        return (f"{_value(self.old_value, self.old_points)} → "
                f"{_value(self.new_value, self.new_points)}")


def _value(value: str, points: Decimal | None) -> str:
    return (value or "—") + ("" if points is None else f" ({localize(points)})")


def assessment_history(assessment: ParAssessment) -> list[HistoryEvent]:
    """The assessment's history, oldest first: the one reading of it, for the page and the
    API."""
    system = _("Hệ thống")
    labels = {k: str(v) for k, v in ParScoreEvent.Action.choices}
    names: dict[int, str] = {}
    events = []
    for (at, actor_id, full, first, last, username, action, code, old_value, old_points,
         new_value, new_points, reason) in assessment.events.order_by("at", "pk").values_list(
            "at", "actor_id", "actor__full_name", "actor__first_name", "actor__last_name",
            "actor__username", "action", "score__criterion__code", "old_value", "old_points",
            "new_value", "new_points", "reason"):
        if actor_id is None:
            who = system
        elif actor_id in names:
            who = names[actor_id]
        else:  # as User.display_name
            who = names[actor_id] = full or f"{first} {last}".strip() or username
        events.append(HistoryEvent(at, username, who, action, labels.get(action, action),
                                   code or "", old_value, old_points, new_value, new_points,
                                   reason))
    return events


@dataclass
class AssessmentPage:
    rows: list[Row]
    lost: list["Lost"]
    previous: ParAssessment | None
    history: list[HistoryEvent]


def assessment_page(assessment: ParAssessment) -> AssessmentPage:
    """What the assessment page shows, each thing read once: the scores serve the tree and the
    lost points, last year's assessment the comparison and its heading."""
    criteria = list(assessment.round.criteria_set.criteria.order_by("order"))
    scores = {s.criterion_id: s for s in assessment.scores.prefetch_related(Prefetch("files"))}
    previous = previous_assessment(assessment)
    rows = assessment_rows(assessment, scores, criteria)
    return AssessmentPage(
        rows=rows,
        lost=lost_points(assessment, rows=rows, previous=previous),
        previous=previous,
        history=assessment_history(assessment))


def round_results(par_round: ParRound) -> list[ParAssessment]:
    return list(par_round.assessments.select_related("unit").order_by("rank", "unit__name"))


@dataclass
class Lost:
    criterion: ParCriterion
    max_points: Decimal
    points: Decimal | None  # None: not applicable
    lost: Decimal
    last_year: Decimal | None  # the same criterion code's points a year earlier, if scored
    last_year_lost: Decimal | None


def assessment_ids_openable(user: User, par_round: ParRound) -> set[int]:
    """The ids of the round's assessments whose page `user` may open (access.
    assessments_visible): a unit reads the published ranking of every unit but opens only its
    own assessment (the others answer 404 to it), so only those rows link to it."""
    return set(access.assessments_visible(user).filter(round=par_round)
               .values_list("pk", flat=True))


def previous_assessment(assessment: ParAssessment) -> ParAssessment | None:
    """The unit's published assessment of the year before, on a set of the same level."""
    crit_set = assessment.round.criteria_set
    return (ParAssessment.objects.filter(
        unit_id=assessment.unit_id, status=ParAssessment.Status.PUBLISHED,
        round__criteria_set__level=crit_set.level, round__criteria_set__year=crit_set.year - 1)
        .select_related("round").order_by("-round__published_at").first())


_UNKNOWN = object()


def lost_points(assessment: ParAssessment, *, rows: list[Row] | None = None,
                previous: ParAssessment | None | object = _UNKNOWN) -> list[Lost]:
    """Each leaf criterion where the unit lost points (final, or self while not appraised),
    with last year's result for the criterion of the same code. The page passes the `rows`
    and the `previous` assessment it has already read."""
    before = previous_assessment(assessment) if previous is _UNKNOWN else previous
    last: dict[str, ParScore] = {}
    if before is not None:
        last = {s.criterion.code: s for s in before.scores.select_related("criterion").defer(
            "live", "explanation", "evidence_url", "appraisal_reason", "criterion__title",
            "criterion__rule", "criterion__evidence", "criterion__scale")}
    appraised = assessment.status in (ParAssessment.Status.APPRAISED,
                                      ParAssessment.Status.PUBLISHED)
    out = []
    scores = ([r.score for r in rows if r.score is not None] if rows is not None else
              assessment.scores.select_related("criterion").order_by("criterion__order"))
    for s in scores:
        value = s.final_value if appraised else s.value
        if value == "na":
            continue
        points = (s.final_points if appraised else s.self_points) or Decimal(0)
        lost = s.criterion.max_points - points
        prev = last.get(s.criterion.code)
        prev_points = _final(prev) if prev is not None else None
        if lost > 0:
            out.append(Lost(s.criterion, s.criterion.max_points, points, scoring.q2(lost),
                            prev_points,
                            None if prev_points is None else
                            scoring.q2(prev.criterion.max_points - prev_points)))
    return out
