"""Reading the PAR Index: an assessment's tree with its scores, results, lost points."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.formats import date_format, localize
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from reform.models import ParAssessment, ParCriterion, ParRound, ParScore, ParScoreEvent
from reform.par import scoring


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


def assessment_history(assessment: ParAssessment) -> list[ParScoreEvent]:
    """Oldest first; each event with `label`, its action in the page's language."""
    labels = {k: str(v) for k, v in ParScoreEvent.Action.choices}
    # The history names a score's criterion by its code: its texts, the score's live figure
    # (JSON) and explanation are not read for some 150 rows.
    events = list(assessment.events.select_related("actor", "score__criterion")
                  .defer("score__live", "score__explanation", "score__evidence_url",
                         "score__appraisal_reason", "score__criterion__title",
                         "score__criterion__rule", "score__criterion__evidence",
                         "score__criterion__scale")
                  .order_by("at", "pk"))
    for e in events:
        e.label = labels.get(e.action, e.action)
    return events


@dataclass
class HistoryLine:
    """One history event as the page prints it, formatted once here: an assessment of 90
    criteria has a few hundred events, and formatting them in the template cost more than the
    rest of the page."""
    at: str
    who: str
    label: str
    code: str
    change: str
    reason: str


def _value(value: str, points: Decimal | None) -> str:
    return (value or "—") + ("" if points is None else f" ({localize(points)})")


def history_lines(assessment: ParAssessment) -> list[HistoryLine]:
    """The history as `assessment_history` orders it, read as plain values (no model per event,
    actor and criterion)."""
    system = _("Hệ thống")
    labels = {k: str(v) for k, v in ParScoreEvent.Action.choices}
    names: dict[int, str] = {}
    lines = []
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
        lines.append(HistoryLine(date_format(localtime(at), "d/m/Y H:i"), who,
                                 labels.get(action, action), code or "",
                                 f"{_value(old_value, old_points)} → "
                                 f"{_value(new_value, new_points)}", reason))
    return lines


@dataclass
class AssessmentPage:
    rows: list[Row]
    lost: list["Lost"]
    previous: ParAssessment | None
    history: list[HistoryLine]


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
        history=history_lines(assessment))


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
