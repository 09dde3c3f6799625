"""Evaluation pages: online (applicant or lookup visitor), the counter kiosk, the heads' follow-ups.

The online page is reached from the public lookup result (the session remembers the codes it
proved there, dossiers.lookup) or by the logged-in applicant from their own dossier. Anyone else
types the second factor here, posted, counted against the lookup's own limits (one budget for
both pages): an evaluation page never becomes a way to guess factors.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.lockout import lockout_client_ip
from accounts.models import Role
from accounts.selectors import unit_screens, user_unit_ids
from dossiers.lookup import (
    CODE_MAX_LENGTH,
    FACTOR_MAX_LENGTH,
    lookup_proof_record,
    lookup_proven,
)
from dossiers.models import Dossier, State
from dossiers.selectors import dossier_is_own, dossier_visible, lookup_code_normalize
from dossiers.services.lookup import lookup_attempt
from evaluations.criteria import CRITERIA, MAX_POINTS, RATING_QUESTIONS, band_for
from evaluations.forms import EvaluationForm, FollowUpCloseForm, KioskPickForm
from evaluations.models import Evaluation
from evaluations.selectors import (
    evaluation_of,
    follow_ups_for,
    unconfirmed_for_desk,
    user_sees_follow_ups,
)
from evaluations.services import (
    ALREADY,
    evaluation_confirm,
    evaluation_confirm_resend,
    evaluation_submit,
    follow_up_close,
    follow_up_comment_read,
)
from motcua.cross_site import staff_read_page
from motcua.errors import DomainError
from motcua.posted import posted


def _private(response: HttpResponse) -> HttpResponse:
    # No shared cache keeps the page; no other site learns its address.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def _summary(evaluation: Evaluation) -> dict:
    rows = []
    for number, c in enumerate(CRITERIA, start=1):
        points = getattr(evaluation, c.key)
        rows.append({"number": number, "question": c.question, "points": points,
                     "answer": c.options[2 - points]})
    return {"rows": rows, "points": evaluation.points, "max": MAX_POINTS,
            "band": band_for(evaluation.points),
            "band_label": settings.MOTCUA_EVALUATION_BANDS_LABEL,
            "ratings": [(RATING_QUESTIONS["ease_rating"], evaluation.get_ease_rating_display()),
                        (RATING_QUESTIONS["overall_rating"],
                         evaluation.get_overall_rating_display())]}


def online(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    code = lookup_code_normalize(code)[:CODE_MAX_LENGTH]
    dossier = Dossier.objects.select_related("procedure").filter(code=code).first()
    is_owner = bool(dossier and dossier_is_own(dossier, user))
    proven = dossier is not None and lookup_proven(request.session, dossier.code)
    context: dict = {"code": code, "dossier": None, "form": None}
    if not is_owner and not proven:
        # The factor comes in a POST body (typed here), never in the URL; the tries count
        # against the same limits as the lookup page's.
        if request.method == "POST" and "bi-mat" in request.POST:
            factor = request.POST.get("bi-mat", "")[:FACTOR_MAX_LENGTH]
            try:
                dossier = lookup_attempt(code=code, factor=factor,
                                         address=lockout_client_ip(request) or "")
            except DomainError as error:
                context["error"] = error.localized_message
                return _private(render(request, "evaluations/online.html", context,
                                       status=error.http_status))
            lookup_proof_record(request.session, dossier.code)
            return redirect("evaluations:online", dossier.code)
        context["error"] = _("Nhập mã bí mật in trên giấy tiếp nhận (hoặc 4 số cuối điện thoại) "
                             "để đánh giá hồ sơ này, hoặc đăng nhập bằng tài khoản đã nộp hồ "
                             "sơ.")
        return _private(render(request, "evaluations/online.html", context, status=404))
    context["dossier"] = dossier
    evaluation = evaluation_of(dossier)
    if evaluation is not None:
        context["summary"] = _summary(evaluation)
        if request.method == "POST":
            context["error"] = ALREADY
            return _private(render(request, "evaluations/online.html", context, status=409))
        return _private(render(request, "evaluations/online.html", context))
    if dossier.state != State.RETURNED:
        context["error"] = _("Hồ sơ chưa được trả kết quả nên chưa thể đánh giá. Ông/bà đánh "
                             "giá sau khi nhận kết quả.")
        return _private(render(request, "evaluations/online.html", context, status=409))
    form = EvaluationForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                evaluation_submit(dossier=dossier, answers=form.cleaned_data,
                                  channel=Evaluation.Channel.ONLINE,
                                  actor=user if is_owner else None)
            except DomainError as error:
                form.add_domain_error(error)
                status = error.http_status
            else:
                messages.success(request, _("Cảm ơn ông/bà đã đánh giá. Ý kiến của ông/bà giúp "
                                            "cơ quan phục vụ tốt hơn."))
                return redirect("evaluations:online", dossier.code)
    context["form"] = form
    return _private(render(request, "evaluations/online.html", context, status=status))


def _desk_units(request: HttpRequest) -> set[int]:
    units = user_unit_ids(request.user, role=Role.RECEIVING)
    if not units:
        raise PermissionDenied(_("Trang đánh giá tại quầy dành cho cán bộ bộ phận một cửa."))
    return units


@login_required
def kiosk(request: HttpRequest) -> HttpResponse:
    """The desk officer opens a returned dossier here and hands the screen to the applicant."""
    units = _desk_units(request)
    code = (request.POST.get("ma") or request.GET.get("ma") or "").strip()
    context: dict = {"pick": KioskPickForm(initial={"ma": code}), "form": None,
                     "dossier": None, "done": request.GET.get("da-danh-gia", ""), "nav": "kiosk",
                     "ui_can_counter": True}
    status = 200
    if code:
        dossier = dossier_visible(request.user).filter(code=code).first()
        if dossier is None:
            context["error"] = _("Không tìm thấy hồ sơ %(code)s trong các hồ sơ đơn vị được "
                                 "xem.") % {"code": code}
            status = 404
        elif dossier.state != State.RETURNED:
            context["error"] = _("Hồ sơ %(code)s chưa được trả kết quả nên chưa thể đánh "
                                 "giá.") % {"code": code}
            status = 409
        elif evaluation_of(dossier) is not None:
            context["error"] = ALREADY
            status = 409
        else:
            form = EvaluationForm(posted(request))
            if request.method == "POST":
                status = 422
                if form.is_valid():
                    try:
                        evaluation_submit(dossier=dossier, answers=form.cleaned_data,
                                          channel=Evaluation.Channel.KIOSK, actor=request.user)
                    except DomainError as error:
                        form.add_domain_error(error)
                        status = error.http_status
                    else:
                        # Typed in the officer's session: the applicant confirms it with the
                        # code sent to the dossier's contact (audit8).
                        return redirect(f"{reverse('evaluations:kiosk')}?"
                                        f"{urlencode({'xac-nhan': dossier.code})}")
            context.update({"form": form, "dossier": dossier})
    context["screens"] = unit_screens(units)
    confirming = request.GET.get("xac-nhan", "").strip()
    if context["form"] is None and confirming:
        context["confirm"] = _unconfirmed(request).filter(dossier__code=confirming).first()
    if context["form"] is None:
        context["waiting"] = (dossier_visible(request.user)
                              .filter(state=State.RETURNED, receiving_unit_id__in=units,
                                      evaluation__isnull=True)
                              .order_by("-returned_at")[:20])
        context["unconfirmed"] = _unconfirmed(request)[:20]
    return render(request, "evaluations/kiosk.html", context, status=status)


def _unconfirmed(request: HttpRequest):
    """The officer-entered evaluations of the desk's dossiers the applicant has not confirmed."""
    return unconfirmed_for_desk(request.user, dossiers=dossier_visible(request.user))


@login_required
@require_POST
def kiosk_confirm(request: HttpRequest) -> HttpResponse:
    """The applicant types the code sent to the dossier's contact; or the officer sends a new
    one. Either way the page returns to the confirmation of the same dossier."""
    _desk_units(request)
    code = request.POST.get("ma", "").strip()[:CODE_MAX_LENGTH]
    evaluation = _unconfirmed(request).filter(dossier__code=code).first()
    if evaluation is None:
        raise Http404
    back = f"{reverse('evaluations:kiosk')}?{urlencode({'xac-nhan': code})}"
    try:
        if request.POST.get("gui-lai"):
            if evaluation_confirm_resend(evaluation=evaluation, actor=request.user):
                messages.success(request, _("Đã gửi mã xác nhận mới tới người nộp."))
            else:
                messages.error(request, _("Hồ sơ không có số điện thoại, thư điện tử: không gửi "
                                          "được mã."))
            return redirect(back)
        evaluation_confirm(evaluation=evaluation, actor=request.user,
                           code=request.POST.get("ma-xac-nhan", ""))
    except DomainError as error:
        messages.error(request, error.localized_message)
        return redirect(back)
    return redirect(f"{reverse('evaluations:kiosk')}?{urlencode({'da-danh-gia': code})}")


@login_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    if not user_sees_follow_ups(request.user):
        raise Http404(_("Không có trang này."))
    rows = list(follow_ups_for(request.user)[:200])
    return render(request, "evaluations/follow_ups.html",
                  {"rows": rows, "close_form": FollowUpCloseForm(), "nav": "follow_ups"})


@login_required
@staff_read_page
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One follow-up with the applicant's comment: opened on purpose from the list, and logged as
    a read of the dossier's owner (Decree 13/2023/NĐ-CP art. 9), as opening a dossier or a
    feedback item is. The list names the dossiers only (docs/security.md)."""
    if not user_sees_follow_ups(request.user):
        raise Http404(_("Không có trang này."))
    # Only follow-ups of the user's own units exist for them: another unit's is a 404.
    follow_up = get_object_or_404(follow_ups_for(request.user), pk=pk)
    follow_up_comment_read(follow_up=follow_up, actor=request.user)
    return render(request, "evaluations/follow_up_detail.html",
                  {"f": follow_up, "close_form": FollowUpCloseForm(), "nav": "follow_ups"})


@login_required
@require_POST
def follow_up_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Only follow-ups of the user's own units exist for them: another unit's is a 404.
    follow_up = get_object_or_404(follow_ups_for(request.user), pk=pk)
    form = FollowUpCloseForm(request.POST)
    note = request.POST.get("note", "") if form.is_valid() else ""
    try:
        follow_up_close(follow_up=follow_up, actor=request.user, note=note)
    except DomainError as error:
        messages.error(request, error.localized_message)
    else:
        messages.success(request, _("Đã đóng việc theo dõi hồ sơ %(code)s.") % {
            "code": follow_up.evaluation.dossier.code})
    return redirect("evaluations:follow_ups")

