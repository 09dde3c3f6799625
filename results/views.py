"""Pages: the public verification page, “Kho dữ liệu của tôi”, and private downloads."""

from __future__ import annotations

import hashlib
import time
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends.base import SessionBase
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.lockout import lockout_client_ip
from dossiers.models import DossierDocument
from dossiers.selectors import dossier_get
from dossiers.views.common import staff_required
from motcua.cross_site import staff_read_page
from motcua.downloads import download_protect
from motcua.errors import DomainError
from motcua.masking import id_number_masked
from results.models import StoredDocument
from results.numbering import result_numbered, results_numbered
from results.rendering import stored_content, stored_ready
from results.selectors import store_for_owner, stored_by_uid, stored_get
from results.services import digitised_store, stored_download_logged, stored_download_record
from results.verification import pdf_verify
from results.verification_limits import verification_try

# A verification upload larger than this is refused before it is read into memory.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A download link shown on the public lookup page works for this long, and only in the browser
# session that proved the dossier's code and secret: the link itself names the result by its
# uid and carries no bearer token, so an access log or a proxy that records it holds nothing
# that opens the file (Decree 13/2023: personal data reaches only the person who proved it).
PUBLIC_LINK_SECONDS = 60 * 60
PUBLIC_LINK_SESSION_KEY = "results_public_links"
# The grants a session keeps: a person looks up a few dossiers, not hundreds.
PUBLIC_LINK_KEEP = 20


def _uploaded_pdf(request: HttpRequest) -> tuple[bytes | None, str]:
    upload = request.FILES.get("tep")
    if upload is None:
        return None, _("Hãy chọn tệp PDF cần kiểm tra.")
    if upload.size > MAX_UPLOAD_BYTES:
        return None, _("Tệp quá lớn (tối đa 20 MB).")
    return upload.read(), ""


def _verified_upload(request: HttpRequest) -> tuple[bytes | None, str, int]:
    """The public verification's upload, counted against its address's limit once it is a file
    to check (results/verification_limits.py): its bytes, or None with the message and status
    to show beside the form (kept on the page, so the person still sees what to do next). The
    desk's digitising reads `_uploaded_pdf` alone: staff are not held to the public limit."""
    upload = request.FILES.get("tep")
    if upload is not None and upload.size <= MAX_UPLOAD_BYTES:
        try:
            verification_try(address=lockout_client_ip(request) or "")
        except DomainError as refusal:
            return None, refusal.localized_message, refusal.http_status
    content, error = _uploaded_pdf(request)
    return content, error, 400 if content is None else 200


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone uploads a PDF and learns who signed it, when, and whether it is intact."""
    context: dict = {"report": None, "error": "", "nav": "verify"}
    status = 200
    if request.method == "POST":
        content, error, refused = _verified_upload(request)
        if content is None:
            context["error"], status = error, refused
        else:
            context["report"] = pdf_verify(content)
            context["filename"] = request.FILES["tep"].name
    return render(request, "results/verify.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def verify_document(request: HttpRequest, uid: str) -> HttpResponse:
    """Where the QR code leads: the registry entry of the document, its stored copy checked, and
    an upload that compares the holder's file with it."""
    stored = stored_by_uid(uid)
    if stored is None:
        raise Http404(_("Không có văn bản với mã xác thực này."))
    original = stored_content(stored)
    context: dict = {"stored": stored, "stored_report": pdf_verify(original), "report": None,
                     "error": "", "same_file": None,
                     "masked_owner": id_number_masked(stored.owner_id_number)}
    status = 200
    if request.method == "POST":
        content, error, refused = _verified_upload(request)
        if content is None:
            context["error"], status = error, refused
        else:
            context["report"] = pdf_verify(content)
            context["same_file"] = hashlib.sha256(content).hexdigest() == stored.sha256
    return render(request, "results/verify_document.html", context, status=status)


@login_required
@require_safe
def my_store(request: HttpRequest) -> HttpResponse:
    # Every result with its number (results/numbering.py): none is listed without one.
    documents = results_numbered(store_for_owner(user=request.user))
    return render(request, "results/my_store.html",
                  {"documents": documents, "nav": "store"})


def _file_response(stored: StoredDocument) -> FileResponse:
    # A result whose rendering is still pending is rendered now, once (results/rendering.py).
    stored_ready(stored)
    name = f"{stored.document_number or stored.uid}.pdf".replace("/", "-")
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=name,
                            content_type="application/pdf")
    return download_protect(response)


@login_required
@require_safe
@staff_read_page(when=lambda request: stored_download_logged(request.user))
def download(request: HttpRequest, uid: str) -> FileResponse:
    """The owner, staff of a dossier that produced or reuses the document, or the applicant of
    the dossier that produced it (results.selectors.stored_visible); others get 404."""
    # Numbered before its download is logged under its number (results/numbering.py).
    stored = result_numbered(stored_get(user=request.user, uid=uid))
    stored_download_record(actor=request.user, stored=stored)
    return _file_response(stored)


def _now() -> float:
    return time.time()


def public_download_grant(session: SessionBase, stored: StoredDocument) -> None:
    """Let this browser session download `stored` for the next hour: called by the public lookup
    page, which shows the link only after the dossier's code and secret were proven."""
    now = _now()
    grants = {uid: until for uid, until in session.get(PUBLIC_LINK_SESSION_KEY, {}).items()
              if until > now and uid != str(stored.uid)}
    grants[str(stored.uid)] = now + PUBLIC_LINK_SECONDS
    session[PUBLIC_LINK_SESSION_KEY] = dict(list(grants.items())[-PUBLIC_LINK_KEEP:])


def _public_download_granted(session: SessionBase, uid: uuid.UUID) -> bool:
    until = session.get(PUBLIC_LINK_SESSION_KEY, {}).get(str(uid))
    return isinstance(until, int | float) and until > _now()


@require_safe
def public_download(request: HttpRequest, uid: uuid.UUID) -> FileResponse:
    """The link on the public lookup page: opens the file only in the session that proved the
    dossier's code and secret, for an hour after the page showed it."""
    if not _public_download_granted(request.session, uid):
        raise Http404(_("Liên kết tải kết quả không hợp lệ hoặc đã hết hạn. Hãy tra cứu lại "
                        "hồ sơ bằng mã hồ sơ và mã bí mật."))
    stored = stored_by_uid(uid)
    if stored is None:
        raise Http404(_("Không tìm thấy kết quả."))
    response = _file_response(stored)
    response["Referrer-Policy"] = "same-origin"
    return response


def may_digitise(user, dossier) -> bool:
    """The receiving desk digitises the papers handed in at its counter."""
    from accounts.models import Role
    from accounts.selectors import user_has_role

    return user_has_role(user, unit_id=dossier.receiving_unit_id, role=Role.RECEIVING)


@staff_required
@require_http_methods(["POST"])
def digitise(request: HttpRequest, code: str, document_id: int) -> HttpResponse:
    """A counter officer uploads the scan of a paper: signed, kept in the owner's store."""
    dossier = dossier_get(user=request.user, code=code)
    if not may_digitise(request.user, dossier):
        raise Http404(_("Chỉ bộ phận một cửa tiếp nhận hồ sơ được số hóa giấy tờ."))
    paper = DossierDocument.objects.filter(dossier=dossier, pk=document_id).first()
    if paper is None:
        raise Http404(_("Không có giấy tờ này trong hồ sơ."))
    content, error = _uploaded_pdf(request)
    try:
        if content is None:
            raise DomainError("invalid", error)
        digitised_store(dossier_document=paper, content=content, actor=request.user,
                        unit=dossier.receiving_unit)
    except DomainError as e:
        messages.error(request, e.localized_message)
    else:
        messages.success(request, _("Đã số hóa và ký số “%(name)s”; bản số hóa đã vào kho dữ "
                                    "liệu của chủ hồ sơ.") % {"name": paper.name})
    return redirect("dossiers:detail", code=dossier.code)
