"""Pages of the drafting flow: the draft and its versions, the preview PDF, the head's send-back,
and the signing confirmation (results/drafting.py holds the rules)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from dossiers.models import Dossier
from dossiers.selectors import dossier_get
from dossiers.services.personal_data import ACTION, dossier_personal_read
from dossiers.uploads import max_file_bytes, upload_check
from dossiers.views.common import page, staff_required
from motcua import inputs
from motcua.cross_site import staff_read_page
from motcua.downloads import download_protect
from motcua.errors import DomainError
from motcua.inputs import InputField
from results.drafting import (
    draft_initial,
    draft_latest,
    draft_preview,
    draft_return,
    draft_save,
    draft_sign,
    expected_block,
    may_draft,
    may_review,
    pending_number,
)
from results.models import ResultDraft, SignatureBlock
from results.numbering import result_numbered, results_numbered


class DraftForm(forms.Form):
    title = InputField(rule=inputs.Rule(inputs.Kind.LINE, 300),
                       label=gettext_lazy("Tên loại văn bản"))
    subject = InputField(rule=inputs.Rule(inputs.Kind.TEXT, 500),
                         label=gettext_lazy("Trích yếu nội dung"),
                         widget=forms.Textarea(attrs={"rows": 2}))
    body = InputField(rule=inputs.Rule(inputs.Kind.TEXT, 20000), label=gettext_lazy("Nội dung"),
                      widget=forms.Textarea(attrs={"rows": 14}),
                      help_text=gettext_lazy("Mỗi dòng một đoạn; dòng bắt đầu bằng “Điều 1.” "
                                             "được in đậm phần số điều."))
    recipients = InputField(rule=inputs.Rule(inputs.Kind.TEXT, 2000), required=False,
                            label=gettext_lazy("Nơi nhận"),
                            widget=forms.Textarea(attrs={"rows": 4}))
    upload = forms.FileField(
        required=False, label=gettext_lazy("Tệp dự thảo đã soạn (PDF hoặc DOCX, không bắt buộc)"),
        help_text=gettext_lazy("Khi có tệp, chính văn bản trong tệp được ban hành: số, ngày ban "
                               "hành và mã xác thực được đóng ở lề trên trang đầu rồi ký số. "
                               "Tệp DOCX chỉ nhận khi máy chủ có LibreOffice để chuyển sang PDF."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}))

    def add_domain_error(self, err: DomainError) -> None:
        self.add_error(None, err.localized_message)
        for key, problems in err.fields.items():
            if key in self.fields:
                for problem in problems if isinstance(problems, list) else [problems]:
                    self.add_error(key, str(problem))


class ReturnForm(forms.Form):
    comment = InputField(rule=inputs.Rule(inputs.Kind.TEXT, 2000),
                         label=gettext_lazy("Ý kiến gửi chuyên viên"),
                         widget=forms.Textarea(attrs={"rows": 3}),
                         error_messages={"required": gettext_lazy("Cần ghi ý kiến.")})


def _dossier(request: HttpRequest, code: str) -> Dossier:
    dossier = dossier_get(user=request.user, code=code)
    if not (may_draft(dossier, request.user) or may_review(dossier, request.user)
            or dossier.result_drafts.exists()):
        raise Http404(_("Hồ sơ này chưa có dự thảo kết quả."))
    return dossier


def _draft(dossier: Dossier, version: int) -> ResultDraft:
    draft = dossier.result_drafts.filter(version=version).first()
    if draft is None:
        raise Http404(_("Không có phiên bản dự thảo này."))
    return draft


def _versions(dossier: Dossier) -> list[ResultDraft]:
    """The dossier's versions with the result each was issued as, numbered first: a result no
    one signs is numbered after its approval (results/numbering.py)."""
    versions = list(dossier.result_drafts.select_related("author", "reviewed_by", "stored"))
    results_numbered(v.stored for v in versions if v.stored_id)
    return versions


def _context(request: HttpRequest, dossier: Dossier, **extra) -> dict:
    latest = draft_latest(dossier)
    reviewing = may_review(dossier, request.user)
    return {"dossier": dossier, "latest": latest,
            "versions": _versions(dossier),
            "drafting": may_draft(dossier, request.user), "reviewing": reviewing,
            "awaiting": latest is not None and latest.status == ResultDraft.Status.DRAFT,
            "return_form": ReturnForm(), **extra}


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
@staff_read_page
def draft(request: HttpRequest, code: str) -> HttpResponse:
    """The dossier's draft: the specialist writes a new version; everyone concerned reads the
    versions, the head's comments and the preview."""
    dossier = _dossier(request, code)
    dossier_personal_read(actor=request.user, dossier=dossier, action=ACTION.DOSSIER_OPEN,
                          purpose="Dự thảo kết quả giải quyết")
    status, kept = 200, None
    if request.method == "POST":
        if not may_draft(dossier, request.user):
            raise PermissionDenied(_("Chỉ chuyên viên đang xử lý hồ sơ được dự thảo kết quả."))
        form = DraftForm(request.POST, request.FILES)
        upload = request.FILES.get("upload")
        name, data = (upload.name, upload.read(max_file_bytes() + 1)) if upload else \
            _kept_upload(request.POST.get("giu_tep", ""), user=request.user, dossier=dossier)
        if form.is_valid():
            try:
                saved = draft_save(
                    dossier=dossier, actor=request.user,
                    values={k: form.cleaned_data[k] for k in ("title", "subject", "body",
                                                                "recipients")},
                    upload_name=name, upload_data=data)
            except DomainError as err:
                form.add_domain_error(err)
            else:
                messages.success(request, _("Đã lưu dự thảo phiên bản %(v)s. Xem trước bản PDF "
                                            "rồi chuyển lãnh đạo ký.") % {"v": saved.version})
                return redirect("results:draft", code=dossier.code)
        if data is not None and "upload" not in form.errors:
            # The text needs correcting, the file was fine: keep it, so it is not chosen again.
            kept = _keep_upload(name, data, user=request.user, dossier=dossier)
        status = 422
    else:
        form = DraftForm(initial=draft_initial(dossier))
    return page(request, "results/draft.html",
                _context(request, dossier, form=form, kept=kept), status=status)


KEPT_SALT = "results.draft-upload"


def _keep_upload(name: str, data: bytes, *, user: User, dossier: Dossier) -> dict | None:
    """A file that passed the upload check, kept under a random name while the text is fixed;
    the form carries a signed token naming it, the officer and the dossier. Signed alone, a
    token copied from another officer's page (or another dossier's) would have put that file
    into this draft: it was meant for one person's next attempt at one draft."""
    try:
        kind = upload_check(name, data)
    except DomainError:
        return None
    path = default_storage.save(f"result-drafts/cho/{uuid.uuid4().hex}.{kind.extension}",
                                ContentFile(data))
    token = signing.dumps({"path": path, "name": name, "user": user.pk, "dossier": dossier.pk},
                          salt=KEPT_SALT)
    return {"name": name, "token": token}


def _kept_upload(token: str, *, user: User, dossier: Dossier) -> tuple[str, bytes | None]:
    """The kept file a token names, if it is this officer's for this dossier; otherwise none, as
    if no token came (the file stays for whoever it was kept for)."""
    if not token:
        return "", None
    try:
        kept = signing.loads(token, salt=KEPT_SALT, max_age=24 * 3600)
        if kept["user"] != user.pk or kept["dossier"] != dossier.pk:
            return "", None
        with default_storage.open(kept["path"], "rb") as f:
            return kept["name"], f.read(max_file_bytes() + 1)
    except (signing.BadSignature, KeyError, TypeError, OSError):
        return "", None




@staff_required
@require_safe
@staff_read_page
def preview(request: HttpRequest, code: str, version: int) -> HttpResponse:
    """The PDF the signing will issue, marked “DỰ THẢO”."""
    dossier = _dossier(request, code)
    draft = _draft(dossier, version)
    dossier_personal_read(actor=request.user, dossier=dossier, action=ACTION.FORM_PRINT,
                          purpose=f"Xem trước dự thảo kết quả phiên bản {version}")
    content = draft_preview(draft=draft, viewer=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (f'inline; filename="du-thao-{dossier.code}-v{version}'
                                       '.pdf"')
    return download_protect(response)


@staff_required
@require_safe
@staff_read_page
def upload(request: HttpRequest, code: str, version: int) -> FileResponse:
    dossier = _dossier(request, code)
    draft = _draft(dossier, version)
    if not draft.upload:
        raise Http404(_("Phiên bản này không có tệp tải lên."))
    dossier_personal_read(actor=request.user, dossier=dossier, action=ACTION.PAPER_DOWNLOAD,
                          purpose=f"Tải tệp dự thảo kết quả phiên bản {version}")
    ext = draft.upload.name.rsplit(".", 1)[-1]
    return download_protect(FileResponse(draft.upload.open("rb"), as_attachment=True,
                                         filename=f"du-thao-{code}-v{version}.{ext}"))


@staff_required
@require_POST
def send_back(request: HttpRequest, code: str, version: int) -> HttpResponse:
    dossier = _dossier(request, code)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            draft_return(draft=_draft(dossier, version), actor=request.user,
                         comment=form.cleaned_data["comment"])
        except DomainError as err:
            form.add_error(None, err.localized_message)
        else:
            messages.success(request, _("Đã trả lại dự thảo cho chuyên viên kèm ý kiến."))
            return redirect("dossiers:detail", code=dossier.code)
    return page(request, "results/draft.html",
                _context(request, dossier, return_form=form), status=422)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def sign(request: HttpRequest, code: str, version: int) -> HttpResponse:
    """The confirmation page: what is being signed, by whom, in which form; then the signing."""
    dossier = _dossier(request, code)
    draft = _draft(dossier, version)
    if not may_review(dossier, request.user):
        raise Http404(_("Chỉ lãnh đạo đang phê duyệt hồ sơ được ký kết quả."))
    block = expected_block(dossier, request.user)
    error, status = "", 200
    if request.method == "POST":
        try:
            draft_sign(draft=draft, actor=request.user,
                       confirmed=request.POST.get("confirm") == "yes")
        except DomainError as err:
            error, status = err.localized_message, 422
        else:
            draft.refresh_from_db()
            number = result_numbered(draft.stored).document_number if draft.stored else ""
            messages.success(request, _("Đã ký ban hành %(title)s số %(number)s.") % {
                "title": draft.title, "number": number})
            return redirect("dossiers:detail", code=dossier.code)
    methods = dict(SignatureBlock.Method.choices)
    return page(request, "results/sign.html", {
        "dossier": dossier, "draft": draft, "signature": block, "error": error,
        "number": pending_number(dossier, draft, block), "today": timezone.now(),
        "method_label": methods.get(block.method if block else "local"),
        "authority_label": dict(SignatureBlock.Authority.choices).get(
            block.authority if block else "")}, status=status)
