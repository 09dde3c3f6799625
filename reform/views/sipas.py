"""SIPAS pages: the organiser's rounds (sample, send, print QR, results) and the public,
anonymous answer page reached by a one-time link."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Unit
from dossiers.views.common import page, redirect_after_post, staff_required
from motcua.errors import DomainError
from motcua.inputs import id_parse
from motcua.qr import qr_img
from reform.models import SipasElement, SipasQuestionKind, SipasVersion
from reform.par.access import organises, sipas_organiser_unit_ids
from reform.sipas import selectors, services


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError("invalid_date", _("Ngày không hợp lệ (định dạng năm-tháng-ngày)."),
                          "Not a valid date.", fields={field: ["invalid"]}) from None


@staff_required
def survey_list(request: HttpRequest) -> HttpResponse:
    error = ""
    organisers = list(Unit.objects.filter(pk__in=sipas_organiser_unit_ids(request.user))
                      .order_by("code"))
    if request.method == "POST":
        post = request.POST
        try:
            organiser = next((u for u in organisers if str(u.pk) == post.get("organiser")),
                             None)
            if organiser is None:
                raise Http404
            version = SipasVersion.objects.filter(pk=id_parse(post.get("version"))).first()
            if version is None:
                raise DomainError("version_required", _("Chọn bộ câu hỏi."), "Choose a "
                                  "question set.", fields={"version": ["required"]})
            try:
                size = int(post.get("sample_size", ""))
            except ValueError:
                raise DomainError("bad_size", _("Cỡ mẫu phải là số nguyên."), "Not a number.",
                                  fields={"sample_size": ["invalid"]}) from None
            survey = services.survey_create(
                actor=request.user, version=version, organiser=organiser,
                name=post.get("name", ""),
                returned_from=_date(post.get("returned_from", ""), "returned_from"),
                returned_to=_date(post.get("returned_to", ""), "returned_to"),
                sample_size=size, closes_on=_date(post.get("closes_on", ""), "closes_on"))
        except DomainError as exc:
            error = exc.localized_message
        else:
            messages.success(request, _("Đã chọn mẫu %(n)s người trả lời.") % {
                "n": survey.invitations.count()})
            return redirect_after_post(request, reverse("reform:sipas_detail",
                                                        args=[survey.pk]))
    return page(request, "reform/sipas/list.html", {
        "nav": "sipas", "surveys": list(selectors.surveys_visible(request.user)),
        "organisers": organisers, "versions": list(SipasVersion.objects.all()),
        "error": error, "typed": request.POST}, status=400 if error else 200)


def _survey(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.surveys_visible(request.user), pk=pk)


@staff_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if request.method == "POST":
        try:
            n = services.invitations_send(survey=survey, actor=request.user)
        except DomainError:
            raise Http404 from None
        messages.success(request, _("Đã gửi %(n)s thư mời.") % {"n": n})
        return redirect_after_post(request, reverse("reform:sipas_detail", args=[pk]))
    overall = selectors.survey_results(survey)
    return page(request, "reform/sipas/detail.html", {
        "nav": "sipas", "survey": survey, "overall": overall,
        "elements": [(SipasElement(e).label, v) for e, v in overall.elements.items()],
        "by_unit": selectors.survey_results_by_unit(survey),
        "expectations": selectors.expectations(survey),
        "sent_answers": overall.responded - overall.printed,
        "may_send": organises(request.user, survey.organiser_id),
        "unsent": survey.invitations.filter(sent_sms=False, sent_email=False,
                                            used=False).count()})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_print(request: HttpRequest, pk: int) -> HttpResponse:
    """QR slips for the sampled people no message can reach. The GET shows counts and the
    batches printed (who, when, how many), never a link; the POST prints the next batch: its
    slips are in that one answer only (not cached), and the batch is logged (audit8)."""
    survey = _survey(request, pk)
    if not organises(request.user, survey.organiser_id):
        raise Http404
    slips = []
    if request.method == "POST":
        _batch, issued = services.print_batch_create(survey=survey, actor=request.user)
        slips = [{"code": s.code, "qr": qr_img(s.link, 150, alt=_("Mã QR khảo sát"))}
                 for s in issued]
    response = page(request, "reform/sipas/print.html", {
        "survey": survey, "slips": slips, "printed_now": request.method == "POST",
        "printable": len(services.printable_invitations(survey)),
        "batches": list(survey.print_batches.select_related("printed_by"))})
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def survey_answer_page(request: HttpRequest, token: str) -> HttpResponse:
    """Public: no login; what is shown and stored carries nothing about the person."""
    today = timezone.localdate()
    try:
        inv = services.invitation_open(token, today)
    except DomainError as exc:
        return render(request, "reform/sipas/answer_closed.html",
                      {"message": exc.localized_message}, status=exc.http_status)
    questions = list(inv.survey.version.questions.all())
    error = ""
    if request.method == "POST":
        answers = {q.code: request.POST.get(q.code, "") for q in questions}
        try:
            services.survey_answer(token=token, answers=answers)
        except DomainError as exc:
            error = exc.localized_message
        else:
            return render(request, "reform/sipas/answer_done.html", {})
    groups = []
    for element in SipasElement:
        qs = [q for q in questions if q.element == element.value]
        if qs:
            groups.append((element.label, qs))
    return render(request, "reform/sipas/answer.html", {
        "survey": inv.survey, "groups": groups, "error": error, "typed": request.POST,
        "kinds": SipasQuestionKind, "scale": [("5", _("Rất hài lòng")), ("4", _("Hài lòng")),
                                              ("3", _("Bình thường")),
                                              ("2", _("Không hài lòng")),
                                              ("1", _("Rất không hài lòng"))],
        "opinions": [("yes", _("Có")), ("no", _("Không")), ("unknown", _("Không rõ"))]},
        status=400 if error else 200)
