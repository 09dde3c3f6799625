"""PAR Index pages: the rounds, a unit's assessment (self-scoring, appraisal, lost points,
history) and a round's published results. Thin: the rules are in reform/par/."""

from datetime import date

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Unit
from dossiers.uploads import max_file_bytes
from dossiers.views.common import page, redirect_after_post, staff_required
from metrics.periods import KINDS, period_parse
from motcua.downloads import file_attachment
from motcua.errors import DomainError
from motcua.held_files import held_keep, held_release, held_uploads
from motcua.inputs import id_parse
from reform.models import (
    ParAssessment,
    ParCriteriaSet,
    ParEvidence,
    ParLevel,
    ParRound,
    ParScore,
)
from reform.par import access, selectors, services
from reform.par.criteria_xlsx import criteria_template_xlsx
from reform.par.importer import MAX_FILE_BYTES, criteria_import
from reform.par.next_plan import plan_draft_from_assessment
from reform.selectors.plans import plan_get_or_none
from reform.views.common import XLSX, download

LEVEL_UNITS = {ParLevel.DEPARTMENT: [Unit.Kind.DEPARTMENT, Unit.Kind.CENTRE],
               ParLevel.COMMUNE: [Unit.Kind.COMMUNE], ParLevel.PROVINCE: [Unit.Kind.PROVINCE],
               ParLevel.MINISTRY: [Unit.Kind.MINISTRY]}


def _organiser_units(user) -> list[Unit]:
    return list(Unit.objects.filter(pk__in=access.par_organiser_unit_ids(user),
                                    is_active=True).order_by("name"))


def _open_round(request: HttpRequest, organisers: list[Unit]) -> ParRound:
    post = request.POST
    organiser = next((u for u in organisers if str(u.pk) == post.get("organiser")), None)
    crit = ParCriteriaSet.objects.filter(pk=id_parse(post.get("criteria_set"))).first()
    if organiser is None or crit is None:
        raise DomainError("required", _("Chọn cơ quan tổ chức và bộ tiêu chí."),
                          "Choose the organiser and the criteria set.",
                          fields={"criteria_set": ["required"]})
    try:
        deadline = date.fromisoformat(post.get("self_deadline", ""))
    except ValueError:
        raise DomainError("invalid_date", _("Hạn tự đánh giá không hợp lệ."),
                          "The deadline is not a valid date.",
                          fields={"self_deadline": ["invalid"]}) from None
    period = period_parse({"ky": post.get("ky"), "nam": post.get("nam"), "so": post.get("so")},
                          timezone.localdate())
    unit_ids = [pk for pk in map(id_parse, post.getlist("units")) if pk is not None]
    units = Unit.objects.filter(pk__in=unit_ids, is_active=True,
                                kind__in=LEVEL_UNITS[crit.level])
    return services.round_open(actor=request.user, criteria_set=crit, organiser=organiser,
                               name=post.get("name", ""), period=period,
                               self_deadline=deadline, units=units)


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    organisers = _organiser_units(request.user)
    error, imported = "", None
    if request.method == "POST" and organisers:
        try:
            if request.POST.get("form") == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise DomainError("file_required",
                                      _("Chọn tệp bộ tiêu chí (YAML hoặc Excel)."),
                                      "Choose the criteria file.", fields={"file": ["required"]})
                imported = criteria_import(upload.read(MAX_FILE_BYTES + 1),
                                           source_name=upload.name,
                                           replace=request.POST.get("replace") == "1")
                messages.success(request, _("Đã nhập bộ tiêu chí “%(n)s”: %(c)s tiêu chí.") % {
                    "n": imported.name, "c": imported.criteria.count()})
                return redirect_after_post(request, reverse("reform:par_home"))
            par_round = _open_round(request, organisers)
            messages.success(request, _("Đã mở đợt đánh giá."))
            return redirect_after_post(request, reverse("reform:par_round",
                                                        args=[par_round.pk]))
        except DomainError as exc:
            error = exc.localized_message
    units = list(Unit.objects.filter(is_active=True, kind__in=[
        Unit.Kind.DEPARTMENT, Unit.Kind.CENTRE, Unit.Kind.COMMUNE]).order_by("kind", "name"))
    return page(request, "reform/par/home.html", {
        "nav": "par", "rounds": list(access.rounds_visible(request.user)),
        "assessments": list(access.assessments_visible(request.user).order_by(
            "-round__period_year", "unit__name")),
        "organisers": organisers, "sets": list(ParCriteriaSet.objects.all()),
        "units": units if organisers else [], "error": error, "typed": request.POST,
        "kinds": KINDS, "this_year": timezone.localdate().year},
        status=400 if error else 200)


@staff_required
@require_safe
def criteria_template(request: HttpRequest) -> HttpResponse:
    """The Excel template of a criteria set: the shipped department set, as the example."""
    return download(criteria_template_xlsx(), "mau-bo-tieu-chi-chi-so-cchc.xlsx", XLSX)


def _assessment(request: HttpRequest, pk: int) -> ParAssessment:
    return get_object_or_404(access.assessments_visible(request.user), pk=pk)


def _assessment_context(request: HttpRequest, a: ParAssessment) -> dict:
    can_fill = access.can_fill(request.user, a) and a.status in (ParAssessment.Status.DRAFT,
                                                                   ParAssessment.Status.RETURNED)
    appraising = (access.may_appraise(request.user, a)
                  and a.status == ParAssessment.Status.SUBMITTED)
    shown = selectors.assessment_page(a)
    return {
        "nav": "par", "a": a, "rows": shown.rows, "can_fill": can_fill,
        "appraising": appraising, "history": shown.history,
        "own_unit_notice": (services.own_unit_message()
                            if access.appraises_own_unit(request.user, a) else ""),
        "lost": shown.lost, "previous": shown.previous,
        "returned_reason": (a.events.filter(action="return").order_by("-at").first()
                            if a.status == ParAssessment.Status.RETURNED else None),
        "may_refresh": (can_fill or appraising),
        "may_plan": (a.status in (ParAssessment.Status.APPRAISED, ParAssessment.Status.PUBLISHED)
                     and (access.is_organiser(request.user, a.round)
                          or access.can_fill(request.user, a))),
        "max_mb": max_file_bytes() // (1024 * 1024),
        # Each row's form and files, from one reverse each (a set has about 90 criteria).
        "score_base": reverse("reform:par_score", args=[a.pk, 0])[:-2],
        "file_base": reverse("reform:par_evidence", args=[a.pk, 0])[:-2],
    }


@staff_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    return page(request, "reform/par/assessment.html", _assessment_context(request, a))


@staff_required
@require_POST
def score_save(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    score = get_object_or_404(ParScore.objects.select_related("criterion"), pk=score_pk,
                              assessment=a)
    post = request.POST
    chosen: list = []
    try:
        if access.is_appraiser(request.user, a.round) and "appraise" in post:
            services.score_appraise(score=score, actor=request.user,
                                    accept=post.get("appraise") == "accept",
                                    value=post.get("final_value", ""),
                                    reason=post.get("reason", ""))
        else:
            # Chosen now or kept from a try refused for another field (motcua.held_files).
            chosen = held_uploads(request, "files")
            uploads = [(f.name, f.read(max_file_bytes() + 1)) for f in chosen]
            services.score_declare(score=score, actor=request.user,
                                   value=post.get("value", ""),
                                   explanation=post.get("explanation", ""),
                                   evidence_url=post.get("evidence_url", ""), files=uploads)
            held_release(request, "files")
    except DomainError as error:
        if error.http_status == 403:
            raise Http404 from None
        context = _assessment_context(request, a)
        # Shown beside the criterion's own form when it has one, else at the top.
        inline = context["appraising"] or (context["can_fill"]
                                           and not score.criterion.live_metric)
        # The files of a refusal that was not about them are kept, not asked for again.
        held = (held_keep(request, "files", chosen)
                if chosen and "files" not in error.fields else [])
        context.update({"error": error.localized_message,
                        "error_score": score.pk if inline else None, "typed": post,
                        "held": held})
        return page(request, "reform/par/assessment.html", context, status=400)
    messages.success(request, _("Đã lưu tiêu chí %(c)s.") % {"c": score.criterion.code})
    return redirect_after_post(request, reverse("reform:par_assessment", args=[a.pk])
                               + f"#tc-{score.criterion.code}")


ACTIONS = {
    "gui": (services.assessment_submit, _("Đã gửi bản tự đánh giá cho tổ thẩm định.")),
    "cap-nhat-so-lieu": (services.live_refresh, _("Đã cập nhật số liệu tự động.")),
    "tra-lai": (services.assessment_return, _("Đã trả lại bản đánh giá cho đơn vị.")),
    "hoan-thanh": (services.assessment_finish, _("Đã hoàn thành thẩm định.")),
}


@staff_required
@require_POST
def assessment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    a = _assessment(request, pk)
    if action == "ke-hoach-nam-sau":
        return _next_plan(request, a)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    kwargs = {"assessment": a, "actor": request.user}
    if action == "tra-lai":
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        service(**kwargs)
    except DomainError as error:
        if error.http_status == 403:
            raise Http404 from None
        context = _assessment_context(request, a)
        context["error"] = error.localized_message
        return page(request, "reform/par/assessment.html", context, status=400)
    messages.success(request, str(done))
    return redirect_after_post(request, reverse("reform:par_assessment", args=[a.pk]))


def _next_plan(request: HttpRequest, a: ParAssessment) -> HttpResponse:
    """Lost points become next year's tasks, on the plan's own pages to edit."""
    try:
        plan, added = plan_draft_from_assessment(actor=request.user, assessment=a)
    except DomainError as error:
        if error.http_status == 403:
            raise Http404 from None
        context = _assessment_context(request, a)
        context["error"] = error.localized_message
        return page(request, "reform/par/assessment.html", context, status=400)
    messages.success(request, _("Đã thêm %(n)s nhiệm vụ đề xuất vào kế hoạch năm %(y)s.") % {
        "n": added, "y": plan.year})
    # The plan is the assessed unit's: its own officer goes on to edit it; the round's
    # organiser, who may draft it but not open another unit's plan, stays on the assessment.
    if plan_get_or_none(user=request.user, pk=plan.pk) is None:
        return redirect_after_post(request, reverse("reform:par_assessment", args=[a.pk]))
    return redirect_after_post(request, reverse("reform:plan", args=[plan.pk]))


@staff_required
@require_safe
def evidence_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """An evidence file of an assessment the person may read; always an attachment."""
    a = _assessment(request, pk)
    row = get_object_or_404(ParEvidence, pk=file_pk, score__assessment=a)
    # A file gone from the storage is a 404, not the 500 its OSError was.
    return file_attachment(row.file, filename=row.name, content_type=row.content_type,
                           missing=_("Không tìm thấy tệp đính kèm."))


@staff_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    par_round = get_object_or_404(access.rounds_visible(request.user), pk=pk)
    organiser = access.is_organiser(request.user, par_round)
    appraiser = access.is_appraiser(request.user, par_round)
    error = ""
    if request.method == "POST":
        if not organiser:
            raise Http404
        try:
            services.round_publish(par_round=par_round, actor=request.user)
        except DomainError as exc:
            error = exc.localized_message
        else:
            messages.success(request, _("Đã công bố kết quả Chỉ số CCHC."))
            return redirect_after_post(request, reverse("reform:par_round", args=[pk]))
    published = par_round.status == ParRound.Status.PUBLISHED
    rows = selectors.round_results(par_round)
    if not (organiser or appraiser):
        # A unit sees the published ranking, and before publication only its own row.
        mine = access.filler_unit_ids(request.user)
        rows = rows if published else [r for r in rows if r.unit_id in mine]
    return page(request, "reform/par/round.html", {
        "nav": "par", "round": par_round, "rows": rows,
        "readable": selectors.assessment_ids_openable(request.user, par_round),
        "organiser": organiser,
        "published": published, "error": error, "staff_view": organiser or appraiser},
        status=400 if error else 200)
