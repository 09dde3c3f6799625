"""Hồ sơ của tôi: the applicant's own dossiers, their status, forms, and the online supplement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dossiers.selectors import (
    dossier_applicant_view,
    dossier_mine,
    dossier_mine_get,
    draft_list,
)
from dossiers.services.online import is_note, supplement_submit
from dossiers.states import PORTAL_LABEL, portal_status
from dossiers.uploads import upload_check
from dossiers.views.common import page, redirect_after_post
from dossiers.views.pdf import form_pdf_response
from motcua.errors import DomainError
from motcua.held_files import held_keep, held_release, held_uploads

# Forms the applicant may download for their own dossier; 05 (control slip) is the agency's.
APPLICANT_FORMS = frozenset({"01", "02", "03", "04"})


@login_required
@require_safe
def my_list(request: HttpRequest) -> HttpResponse:
    rows = [{"dossier": d, "status": PORTAL_LABEL[portal_status(d.state)]}
            for d in dossier_mine(user=request.user)[:200]]
    context = {"rows": rows, "drafts": list(draft_list(user=request.user)), "nav": "mine"}
    return page(request, "dossiers/online/my_list.html", context)


def _detail_context(request: HttpRequest, dossier) -> dict:
    view = dossier_applicant_view(dossier=dossier)
    documents = list(dossier.documents.prefetch_related("files"))
    # The papers asked for come first and are marked; remarks of the catalogue get no field.
    asked = set(view.supplement_documents)
    papers = [{"doc": d, "asked": d.name in asked}
              for d in dossier.variant.documents.all() if not is_note(d)]
    papers.sort(key=lambda p: not p["asked"])
    return {"dossier": dossier, "view": view, "status": view.status, "documents": documents,
            "supplement_papers": papers, "nav": "mine"}


@login_required
@require_safe
def my_detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_mine_get(user=request.user, code=code)
    return page(request, "dossiers/online/my_detail.html", _detail_context(request, dossier))


@login_required
@require_POST
def my_supplement(request: HttpRequest, code: str) -> HttpResponse:
    """Upload the missing papers and send the supplement (the clock resumes)."""
    dossier = dossier_mine_get(user=request.user, code=code)
    documents = list(dossier.variant.documents.all())
    # Chosen now or kept from a refused try (motcua.held_files): one damaged scan does not
    # make the applicant find and choose the good ones again.
    chosen = {doc.pk: held_uploads(request, f"doc_{doc.pk}") for doc in documents}
    try:
        supplement_submit(user=request.user, dossier=dossier,
                          uploads=[(pk, f) for pk, files in chosen.items() for f in files],
                          note=request.POST.get("note", "")[:2000])
    except DomainError as err:
        context = _detail_context(request, dossier)
        context["supplement_error"] = err.localized_message
        context["note"] = request.POST.get("note", "")
        # A file refused for itself (upload_check) is not kept: the next try would meet it.
        held = {pk: held_keep(request, f"doc_{pk}", files, upload_check)
                for pk, files in chosen.items()}
        for paper in context["supplement_papers"]:
            paper["held"] = held.get(paper["doc"].pk, [])
        return page(request, "dossiers/online/my_detail.html", context,
                    status=422 if err.http_status < 409 else err.http_status)
    for pk in chosen:
        held_release(request, f"doc_{pk}")
    messages.success(request, _("Đã gửi giấy tờ bổ sung cho hồ sơ %(code)s.")
                     % {"code": dossier.code})
    return redirect_after_post(request, reverse("dossiers:my_detail", args=[dossier.code]))


@login_required
@require_safe
def my_form_pdf(request: HttpRequest, code: str, form: str) -> HttpResponse:
    if form not in APPLICANT_FORMS:
        raise Http404(_("Không có mẫu này."))
    dossier = dossier_mine_get(user=request.user, code=code)
    return form_pdf_response(request, dossier, form)
