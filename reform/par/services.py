"""Writing the PAR Index: open a round, self-score, submit, appraise, return, publish.

Each change is one transaction holding the assessment's row lock, and appends its `ParScoreEvent`
(who, when, old → new, why) in that transaction. Sources: Decision 876/QĐ-BNV (self-assessment
with evidence, appraisal that accepts or adjusts each score, survey points, publication in
groups); guidance letters 383/384/BNV-CCHC (an explanation where evidence is missing); domain.md
§12.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from dossiers.uploads import upload_check
from metrics.periods import Period
from motcua import inputs
from motcua.errors import DomainError, NotAllowed
from reform.models import (
    ParAssessment,
    ParCriteriaSet,
    ParCriterion,
    ParEvidence,
    ParRound,
    ParScore,
    ParScoreEvent,
)
from reform.par import access, scoring
from reform.par.live import live_figures

Status = ParAssessment.Status
Action = ParScoreEvent.Action


def round_period(par_round: ParRound) -> Period:
    return Period(par_round.period_kind, par_round.period_year, par_round.period_number)


def _event(assessment: ParAssessment, actor: User | None, action: str, *,
           score: ParScore | None = None, at: datetime, old_value: str = "",
           new_value: str = "", old_points: Decimal | None = None,
           new_points: Decimal | None = None, reason: str = "") -> ParScoreEvent:
    return ParScoreEvent.objects.create(
        assessment=assessment, score=score, actor=actor, at=at, action=action,
        old_value=old_value, new_value=new_value, old_points=old_points,
        new_points=new_points, reason=reason)


def _locked(assessment: ParAssessment) -> ParAssessment:
    return ParAssessment.objects.select_for_update().select_related("round", "unit").get(
        pk=assessment.pk)


def _totals(assessment: ParAssessment) -> None:
    """Self and final totals from the leaf scores (the final one while appraised)."""
    scores = list(assessment.scores.select_related("criterion"))
    self_total = scoring.total([(s.criterion.max_points, s.self_points) for s in scores
                                if s.value != "na"])
    assessment.self_points = self_total.points
    finals = [(s.criterion.max_points, _final_or_self(s)) for s in scores]
    final = scoring.total(finals)
    assessment.max_points = final.max_points
    if assessment.status in (Status.APPRAISED, Status.PUBLISHED):
        assessment.final_points = final.points
        assessment.percent = final.percent
        assessment.group = scoring.group_for(final.percent)


def _final_or_self(s: ParScore) -> Decimal | None:
    value = s.final_value if s.appraisal != ParScore.Appraisal.PENDING else s.value
    if value == "na":
        return None
    return s.final_points if s.appraisal != ParScore.Appraisal.PENDING else s.self_points


def round_open(*, actor: User, criteria_set: ParCriteriaSet, organiser: Unit, name: str,
               period: Period, self_deadline: date, units: Iterable[Unit],
               now: datetime | None = None) -> ParRound:
    """Open a round for `units`: one assessment each, one score row per leaf criterion, the
    live criteria read at once."""
    now = now or timezone.now()
    units = list(units)
    if not units:
        raise DomainError("no_units", _("Chọn ít nhất một đơn vị được đánh giá."),
                          "Choose at least one unit.", fields={"units": ["required"]})
    # Cleaned and held to its column, as every typed name is (motcua/inputs.py): a longer one
    # was a 500 on PostgreSQL.
    name = inputs.inputs_clean({"name": name}, {"name": inputs.Rule(inputs.Kind.LINE, 300)},
                               labels={"name": ("Tên đợt đánh giá", "Round name")})["name"]
    if not name:
        raise DomainError("name_required", _("Nhập tên đợt đánh giá."), "Enter a name.",
                          fields={"name": ["required"]})
    if organiser.pk not in access.par_organiser_unit_ids(actor):
        raise NotAllowed("not_organiser", _("Chỉ cán bộ CCHC của cơ quan tổ chức (cơ quan có tổ "
                                            "thẩm định) được mở đợt đánh giá."),
                         "Only the organiser (the unit with the appraisal team) may open a "
                         "round.", http_status=403)
    leaves = [c for c in criteria_set.criteria.all() if c.is_leaf]
    with transaction.atomic():
        par_round = ParRound.objects.create(
            criteria_set=criteria_set, organiser=organiser, name=name.strip(),
            period_kind=period.kind, period_year=period.year, period_number=period.number,
            self_deadline=self_deadline)
        for unit in units:
            assessment = ParAssessment.objects.create(round=par_round, unit=unit)
            ParScore.objects.bulk_create([ParScore(assessment=assessment, criterion=c)
                                          for c in leaves])
            _refresh(assessment, actor=None, now=now)
            _totals(assessment)
            assessment.save()
    return par_round


def _refresh(assessment: ParAssessment, *, actor: User | None, now: datetime) -> int:
    """Read every live criterion again; a changed figure is an event. Returns the changes."""
    scores = [s for s in assessment.scores.select_related("criterion")
              if s.criterion.live_metric]
    if not scores:
        return 0
    figures = live_figures({s.criterion.live_metric for s in scores}, unit=assessment.unit,
                           period=round_period(assessment.round), now=now)
    changed = 0
    for s in scores:
        fig = figures.get(s.criterion.live_metric)
        if fig is None:
            continue
        value = "" if fig.value is None else str(fig.value)
        points = (None if fig.value is None else scoring.points_for(
            kind=s.criterion.answer_kind, value=value, max_points=s.criterion.max_points,
            scale=s.criterion.scale))
        s.live = {**fig.as_json(), "points": None if points is None else str(points),
                  "read_at": now.isoformat()}
        if value != s.value or points != s.self_points:
            _event(assessment, actor, Action.LIVE, score=s, at=now, old_value=s.value,
                   new_value=value, old_points=s.self_points, new_points=points,
                   reason=fig.formula)
            s.value, s.self_points = value, points
            changed += 1
        s.save(update_fields=["live", "value", "self_points"])
    return changed


def _editable_by_unit(assessment: ParAssessment, actor: User, today: date) -> None:
    if not access.can_fill(actor, assessment):
        raise NotAllowed("not_unit", _("Chỉ đơn vị được đánh giá mới tự chấm điểm."),
                         "Only the assessed unit scores itself.", http_status=403)
    if assessment.status not in (Status.DRAFT, Status.RETURNED):
        raise NotAllowed("not_editable", _("Bản đánh giá đã gửi thẩm định, không sửa được."),
                         "The assessment was submitted and can no longer be changed.")
    if assessment.status == Status.DRAFT and today > assessment.round.self_deadline:
        raise NotAllowed("deadline_passed",
                         _("Đã quá hạn tự đánh giá (%(d)s).") % {
                             "d": assessment.round.self_deadline.strftime("%d/%m/%Y")},
                         "The self-assessment deadline has passed.")


def live_refresh(*, assessment: ParAssessment, actor: User,
                 now: datetime | None = None) -> int:
    now = now or timezone.now()
    with transaction.atomic():
        assessment = _locked(assessment)
        if not (access.can_fill(actor, assessment) or access.is_appraiser(actor,
                                                                           assessment.round)):
            raise NotAllowed("not_allowed", _("Bạn không có quyền với bản đánh giá này."),
                             "Not allowed.", http_status=403)
        if assessment.status in (Status.APPRAISED, Status.PUBLISHED):
            raise NotAllowed("not_editable", _("Bản đánh giá đã thẩm định xong."),
                             "The assessment has been appraised.")
        changed = _refresh(assessment, actor=actor, now=now)
        _totals(assessment)
        assessment.save()
    return changed


def _evidence_url(url: str) -> str:
    """The evidence link as the appraisers' page shows it in <a href>: an http(s) address that
    fits its column, or nothing. A javascript: address would run in their session where the
    browser ignores the CSP; a longer one made PostgreSQL refuse the whole save (a 500)."""
    url = (url or "").strip()
    limit = ParScore._meta.get_field("evidence_url").max_length
    try:
        if url:
            URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        pass
    else:
        if len(url) <= limit:
            return url
    raise DomainError("invalid", f"Đường dẫn tài liệu kiểm chứng không hợp lệ: bắt đầu bằng "
                      f"http:// hoặc https://, tối đa {limit} ký tự.",
                      f"The evidence link must be an http(s) address of at most {limit} "
                      "characters.", fields={"evidence_url": ["http(s)"]})


def score_declare(*, score: ParScore, actor: User, value: str, explanation: str = "",
                  evidence_url: str = "", files: Iterable[tuple[str, bytes]] = (),
                  now: datetime | None = None) -> ParScore:
    """The unit declares a leaf criterion's value, with evidence or an explanation."""
    now = now or timezone.now()
    evidence_url = _evidence_url(evidence_url)
    with transaction.atomic():
        assessment = _locked(score.assessment)
        score = ParScore.objects.select_related("criterion").get(pk=score.pk)
        _editable_by_unit(assessment, actor, timezone.localdate(now))
        c = score.criterion
        if c.live_metric:
            raise NotAllowed("live_criterion",
                             _("Tiêu chí %(c)s lấy số liệu tự động từ hệ thống; đơn vị không "
                               "được sửa. Nếu số liệu chưa đúng, hãy giải trình để tổ thẩm "
                               "định xem xét.") % {"c": c.code},
                             "This criterion is filled from live data; the unit may not "
                             "overwrite it.", fields={"value": ["live"]})
        points = scoring.points_for(kind=c.answer_kind, value=value, max_points=c.max_points,
                                    scale=c.scale)
        value = scoring.value_text(kind=c.answer_kind, value=value)
        checked = []
        for name, data in files:
            kind = upload_check(name, data)
            checked.append((name, data, kind))
        if score.value != value or score.self_points != points:
            _event(assessment, actor, Action.SELF, score=score, at=now, old_value=score.value,
                   new_value=value, old_points=score.self_points, new_points=points,
                   reason=explanation.strip())
        score.value, score.self_points = value, points
        score.explanation = explanation.strip()
        score.evidence_url = evidence_url
        score.save()
        for name, data, kind in checked:
            row = ParEvidence(score=score, name=name[:200], content_type=kind.content_type,
                              size=len(data), uploaded_by=actor)
            row.file.save(f"{len(data)}.{kind.extension}", ContentFile(data), save=False)
            row.save()
            _event(assessment, actor, Action.EVIDENCE, score=score, at=now, new_value=name[:40])
        _totals(assessment)
        assessment.save()
    return score


def _missing(assessment: ParAssessment) -> list[str]:
    """Codes of leaf criteria not answered, or answered without evidence nor explanation."""
    out = []
    for s in assessment.scores.select_related("criterion").prefetch_related("files"):
        if s.criterion.live_metric:
            continue
        if not s.value:
            out.append(_("%(c)s chưa có giá trị") % {"c": s.criterion.code})
        elif (s.value != "na" and not s.files.all() and not s.evidence_url
              and not s.explanation):
            out.append(_("%(c)s chưa có tài liệu kiểm chứng hoặc giải trình")
                       % {"c": s.criterion.code})
    return out


def assessment_submit(*, assessment: ParAssessment, actor: User,
                      now: datetime | None = None) -> ParAssessment:
    now = now or timezone.now()
    with transaction.atomic():
        assessment = _locked(assessment)
        _editable_by_unit(assessment, actor, timezone.localdate(now))
        missing = _missing(assessment)
        if missing:
            raise DomainError("incomplete", _("Chưa gửi được: ") + "; ".join(missing),
                              "Not submitted: some criteria lack a value, evidence or an "
                              "explanation.", fields={"scores": missing})
        _refresh(assessment, actor=actor, now=now)
        old = assessment.status
        assessment.status, assessment.submitted_at = Status.SUBMITTED, now
        _totals(assessment)
        assessment.save()
        _event(assessment, actor, Action.SUBMIT, at=now, old_value=old,
               new_value=Status.SUBMITTED, new_points=assessment.self_points)
    return assessment


def own_unit_message() -> str:
    """Why an appraiser of the assessed unit does not appraise it, in the page's language."""
    return _("Ông/bà là thành viên của đơn vị được đánh giá nên không thẩm định bản tự đánh giá "
             "này. Bản này do thành viên tổ thẩm định thuộc đơn vị khác (hoặc của Ban Chỉ đạo "
             "cấp tỉnh) thẩm định.")


OWN_UNIT_EN = ("You belong to the assessed unit and may not appraise its self-assessment: an "
               "appraiser of another unit of the team (or of the steering committee) does.")


def _appraising(assessment: ParAssessment, actor: User) -> None:
    if not access.is_appraiser(actor, assessment.round):
        raise NotAllowed("not_appraiser", _("Chỉ tổ thẩm định được thẩm định điểm."),
                         "Only the appraisal team appraises.", http_status=403)
    if access.appraises_own_unit(actor, assessment):
        # Nobody appraises their own unit's score (Decision 876/QĐ-BNV: the self-assessment is
        # appraised by others); 409 so that the page says why instead of a 404.
        raise NotAllowed("own_unit", own_unit_message(), OWN_UNIT_EN)
    if assessment.status != Status.SUBMITTED:
        raise NotAllowed("not_submitted", _("Bản đánh giá không ở trạng thái chờ thẩm định."),
                         "The assessment is not awaiting appraisal.")


def score_appraise(*, score: ParScore, actor: User, accept: bool, value: str = "",
                   reason: str = "", now: datetime | None = None) -> ParScore:
    """Accept the unit's score, or set another value (a live one too) with a reason."""
    now = now or timezone.now()
    with transaction.atomic():
        assessment = _locked(score.assessment)
        _appraising(assessment, actor)
        score = ParScore.objects.select_related("criterion").get(pk=score.pk)
        c = score.criterion
        old_points = _final_or_self(score)
        old_value = score.final_value if score.appraisal != score.Appraisal.PENDING else (
            score.value)
        if accept:
            if not score.value:
                raise DomainError("no_value", _("Tiêu chí %(c)s chưa có giá trị để đồng ý; "
                                                "hãy điều chỉnh.") % {"c": c.code},
                                  "No value to accept; adjust it.", fields={"value": ["empty"]})
            score.appraisal = score.Appraisal.ACCEPTED
            score.final_value, score.final_points = score.value, score.self_points
            action = Action.ACCEPT
        else:
            if not reason.strip():
                raise DomainError("reason_required", _("Nhập lý do điều chỉnh điểm."),
                                  "Give the reason for the adjustment.",
                                  fields={"reason": ["required"]})
            points = scoring.points_for(kind=c.answer_kind, value=value,
                                        max_points=c.max_points, scale=c.scale)
            value = scoring.value_text(kind=c.answer_kind, value=value)
            score.appraisal = score.Appraisal.ADJUSTED
            score.final_value, score.final_points = value, points
            score.appraisal_reason = reason.strip()
            action = Action.ADJUST
        score.save()
        _event(assessment, actor, action, score=score, at=now, old_value=old_value,
               new_value=score.final_value, old_points=old_points,
               new_points=score.final_points, reason=reason.strip())
        _totals(assessment)
        assessment.save()
    return score


def assessment_return(*, assessment: ParAssessment, actor: User, reason: str,
                      now: datetime | None = None) -> ParAssessment:
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError("reason_required", _("Nhập lý do trả lại."),
                          "Give the reason for returning it.", fields={"reason": ["required"]})
    with transaction.atomic():
        assessment = _locked(assessment)
        _appraising(assessment, actor)
        assessment.status = Status.RETURNED
        assessment.save()
        _event(assessment, actor, Action.RETURN, at=now, old_value=Status.SUBMITTED,
               new_value=Status.RETURNED, reason=reason.strip())
    return assessment


def assessment_finish(*, assessment: ParAssessment, actor: User,
                      now: datetime | None = None) -> ParAssessment:
    """End the appraisal: every score still pending is accepted as declared (one event each)."""
    now = now or timezone.now()
    with transaction.atomic():
        assessment = _locked(assessment)
        _appraising(assessment, actor)
        for s in assessment.scores.filter(appraisal=ParScore.Appraisal.PENDING).select_related(
                "criterion"):
            if not s.value:
                raise DomainError("no_value", _("Tiêu chí %(c)s chưa có giá trị; hãy điều chỉnh "
                                                "trước khi hoàn thành.") % {"c": s.criterion.code},
                                  "A criterion has no value; adjust it first.",
                                  fields={"scores": [s.criterion.code]})
            s.appraisal, s.final_value, s.final_points = (ParScore.Appraisal.ACCEPTED, s.value,
                                                          s.self_points)
            s.save()
            _event(assessment, actor, Action.ACCEPT, score=s, at=now, old_value=s.value,
                   new_value=s.value, old_points=s.self_points, new_points=s.self_points)
        assessment.status = Status.APPRAISED
        _totals(assessment)
        assessment.save()
        _event(assessment, actor, Action.APPRAISED, at=now, old_value=Status.SUBMITTED,
               new_value=Status.APPRAISED, new_points=assessment.final_points)
    return assessment


def round_publish(*, par_round: ParRound, actor: User,
                  now: datetime | None = None) -> ParRound:
    """Final score, rank and group of every unit, published together."""
    now = now or timezone.now()
    with transaction.atomic():
        par_round = ParRound.objects.select_for_update().get(pk=par_round.pk)
        if not access.is_organiser(actor, par_round):
            raise NotAllowed("not_organiser", _("Chỉ cơ quan tổ chức được công bố kết quả."),
                             "Only the organiser publishes.", http_status=403)
        if par_round.status == ParRound.Status.PUBLISHED:
            raise NotAllowed("published", _("Kết quả đợt này đã công bố."), "Already published.")
        rows = list(par_round.assessments.select_for_update().select_related("unit"))
        waiting = [a.unit.name for a in rows if a.status != Status.APPRAISED]
        if waiting:
            raise NotAllowed("not_appraised", _("Chưa thẩm định xong: ") + ", ".join(waiting),
                             "Some assessments are not appraised yet.")
        ranks = scoring.ranks([a.percent for a in rows])
        for a, rank in zip(rows, ranks, strict=True):
            a.status, a.rank = Status.PUBLISHED, rank
            a.group = scoring.group_for(a.percent)
            a.save()
            _event(a, actor, Action.PUBLISH, at=now, old_value=Status.APPRAISED,
                   new_value=Status.PUBLISHED, new_points=a.final_points,
                   reason=f"{a.percent} % — {a.group} — {rank}")
        par_round.status, par_round.published_at = ParRound.Status.PUBLISHED, now
        par_round.save()
    return par_round


def criterion_update_allowed(criterion: ParCriterion) -> bool:
    """A criteria set used by a round is frozen (scores refer to its rows)."""
    return not criterion.criteria_set.rounds.exists()
