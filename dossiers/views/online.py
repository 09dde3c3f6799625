"""Nộp hồ sơ trực tuyến: a logged-in applicant picks the case, fills a draft, uploads, submits."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import Procedure
from catalog.selectors import procedure_get
from dossiers.forms_online import OnlineDraftForm, document_sections, uploads_from
from dossiers.selectors import draft_get
from dossiers.services.online import (
    draft_delete,
    draft_missing,
    draft_save,
    draft_start,
    draft_submit,
    is_note,
    online_receiving_units,
)
from dossiers.views.common import page, redirect_after_post
from motcua.errors import DomainError


def _online_procedure(code: str) -> Procedure:
    procedure = procedure_get(code)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    return procedure


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def online_start(request: HttpRequest, code: str) -> HttpResponse:
    """Choose the case and where to send the dossier; POST opens a draft pre-filled from the
    account."""
    procedure = _online_procedure(code)
    variants = list(procedure.variants.all())
    units = online_receiving_units(procedure)
    error, status = "", 200
    chosen_variant = variants[0].pk if len(variants) == 1 else None
    chosen_unit = units[0].pk if units else None
    if procedure.online_level == Procedure.OnlineLevel.INFORMATION:
        error, status = _("Thủ tục này chưa cung cấp dịch vụ công trực tuyến."), 409
    elif request.method == "POST":
        variant = next((v for v in variants if str(v.pk) == request.POST.get("variant")), None)
        unit = next((u for u in units if str(u.pk) == request.POST.get("receiving_unit")), None)
        chosen_variant = variant.pk if variant else None
        chosen_unit = unit.pk if unit else chosen_unit
        if variant is None:
            error, status = _("Cần chọn trường hợp của thủ tục."), 422
        elif unit is None:
            error, status = _("Cần chọn nơi tiếp nhận hồ sơ."), 422
        else:
            try:
                draft = draft_start(user=request.user, variant=variant, receiving_unit=unit)
            except DomainError as err:
                error, status = err.localized_message, err.http_status
            else:
                return redirect_after_post(request, reverse("dossiers:online_draft",
                                                            args=[draft.pk]))
    context = {"procedure": procedure, "variants": variants, "units": units, "error": error,
               "chosen_variant": chosen_variant, "chosen_unit": chosen_unit}
    return page(request, "dossiers/online/start.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def online_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft: save (button “Lưu nháp”) or submit (button “Nộp hồ sơ”)."""
    draft = draft_get(user=request.user, pk=pk)
    if draft.submitted_dossier_id:
        return redirect_after_post(request, reverse("dossiers:my_detail",
                                                    args=[draft.submitted_dossier.code]))
    documents = list(draft.variant.documents.all())
    status = 200
    if request.method == "POST":
        form = OnlineDraftForm(request.POST)
        typed_ok = form.is_valid()
        try:
            # The files are kept even when the typed text is refused: the form shows the text
            # again, and a file chosen in the browser could not be (issue #16).
            draft_save(user=request.user, draft=draft,
                       data=form.draft_data() if typed_ok else None,
                       uploads=uploads_from(request, documents),
                       remove=request.POST.getlist("remove"))
            if typed_ok and request.POST.get("submit") == "submit":
                dossier = draft_submit(user=request.user, draft=draft,
                                       idempotency_key=f"draft-{draft.pk}")
                messages.success(request, _(
                    "Đã nộp hồ sơ %(code)s. Bộ phận một cửa sẽ kiểm tra và thông báo kết "
                    "quả tiếp nhận.") % {"code": dossier.code})
                return redirect_after_post(request, reverse("dossiers:my_detail",
                                                            args=[dossier.code]))
        except DomainError as err:
            form.add_domain_error(err)
            status = 422
        else:
            if typed_ok:
                messages.success(request, _("Đã lưu hồ sơ nháp."))
                return redirect_after_post(request, reverse("dossiers:online_draft",
                                                            args=[draft.pk]))
            status = 422
    else:
        form = OnlineDraftForm(initial=OnlineDraftForm.initial_from(draft.data))
    files = {}
    for f in draft.files.all():
        files.setdefault(f.required_document_id, []).append(f)
    sections = document_sections(documents)
    for section in sections:
        for group in section["groups"]:
            group["rows"] = [{"doc": d, "files": files.get(d.pk, []), "note": is_note(d)}
                             for d in group["docs"]]
    context = {"draft": draft, "procedure": draft.variant.procedure, "form": form,
               "sections": sections, "several_cases": sum(1 for s in sections if s["heading"]) > 1,
               "missing": draft_missing(draft),
               "max_file_mb": settings.MOTCUA_UPLOAD_MAX_FILE_MB,
               "max_dossier_mb": settings.MOTCUA_UPLOAD_MAX_DOSSIER_MB}
    return page(request, "dossiers/online/draft.html", context, status=status)


@login_required
@require_POST
def online_draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_get(user=request.user, pk=pk)
    draft_delete(user=request.user, draft=draft)
    messages.success(request, _("Đã xóa hồ sơ nháp."))
    return redirect_after_post(request, reverse("dossiers:my_list"))
