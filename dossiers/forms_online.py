"""Web forms of the applicant's pages: the online dossier (a draft) and the supplement answer.

Files are not Django form fields here: each paper of the case has its own `<input type=file
multiple name="doc_<id>">`, read with request.FILES.getlist and checked by content in the
service (dossiers/uploads.py), which names the refused file in its message.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import RequiredDocument
from dossiers.forms import RETURN_METHODS, _DomainErrorsMixin
from dossiers.models import ApplicantKind
from motcua import inputs
from motcua.inputs import InputField


class OnlineDraftForm(_DomainErrorsMixin, forms.Form):
    """Applicant data and request of an online dossier; the papers are listed beside it."""

    error_fields = {"applicant.kind": "applicant_kind", "applicant.name": "applicant_name",
                    "applicant.id_number": "applicant_id_number",
                    "applicant.address": "applicant_address",
                    "applicant.phone": "applicant_phone", "applicant.email": "applicant_email",
                    "applicant.owner_name": "owner_name",
                    "applicant.owner_id_number": "owner_id_number", "summary": "summary"}

    applicant_kind = forms.TypedChoiceField(label=_("Loại đối tượng"),
                                            choices=ApplicantKind.choices, coerce=int,
                                            initial=ApplicantKind.CITIZEN)
    applicant_name = InputField(rule=inputs.NAME, label=_("Họ và tên người nộp / tên tổ chức"),
                                required=False)
    applicant_id_number = InputField(
        rule=inputs.ID_NUMBER, label=_("Số định danh cá nhân / mã số doanh nghiệp"),
        required=False, help_text=_("Công dân: 12 chữ số trên thẻ căn cước."))
    applicant_phone = InputField(rule=inputs.PHONE, label=_("Số điện thoại"), required=False,
                                 widget=forms.TextInput(attrs={"type": "tel"}))
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = InputField(rule=inputs.ADDRESS, label=_("Địa chỉ"), required=False)
    owner_name = InputField(rule=inputs.NAME,
                            label=_("Họ và tên chủ hồ sơ (nếu nộp thay theo ủy quyền)"),
                            required=False)
    owner_id_number = InputField(rule=inputs.ID_NUMBER,
                                 label=_("Số định danh cá nhân của chủ hồ sơ"), required=False)
    summary = InputField(rule=inputs.SUMMARY, label=_("Nội dung yêu cầu"), required=False,
                         widget=forms.Textarea(attrs={"rows": 3}),
                         help_text=_("Để trống để dùng tên thủ tục."))
    return_method = forms.ChoiceField(label=_("Hình thức nhận kết quả"), choices=RETURN_METHODS,
                                      required=False)

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        applicant = data.get("applicant") or {}
        initial = {f"applicant_{k}": v for k, v in applicant.items()
                   if k not in ("owner_name", "owner_id_number")}
        initial["owner_name"] = applicant.get("owner_name", "")
        initial["owner_id_number"] = applicant.get("owner_id_number", "")
        initial["summary"] = data.get("summary", "")
        initial["return_method"] = data.get("return_method", "")
        return initial

    def draft_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        applicant = {k: cd.get(f"applicant_{k}") or "" for k in
                     ("kind", "name", "id_number", "phone", "email", "address")}
        applicant["owner_name"] = cd.get("owner_name") or ""
        applicant["owner_id_number"] = cd.get("owner_id_number") or ""
        return {"applicant": applicant, "summary": cd.get("summary") or "",
                "return_method": cd.get("return_method") or ""}


def document_sections(documents: list[RequiredDocument]) -> list[dict[str, Any]]:
    """Papers under their case headings (in catalog order), each heading's papers grouped."""
    sections: dict[str, list[RequiredDocument]] = {}
    for doc in documents:
        sections.setdefault(doc.section, []).append(doc)
    return [{"heading": heading, "groups": document_groups(docs)}
            for heading, docs in sections.items()]


def document_groups(documents: list[RequiredDocument]) -> list[dict[str, Any]]:
    """Papers in the order of the catalog; an alternatives group is one entry with its choices."""
    groups: list[dict[str, Any]] = []
    seen: dict[str, dict[str, Any]] = {}
    for doc in documents:
        if doc.alternative_group:
            group = seen.get(doc.alternative_group)
            if group is None:
                group = {"alternative": doc.alternative_group, "docs": []}
                seen[doc.alternative_group] = group
                groups.append(group)
            group["docs"].append(doc)
        else:
            groups.append({"alternative": "", "docs": [doc]})
    return groups


def uploads_from(request, documents: list[RequiredDocument]) -> list[tuple[int, Any]]:
    """(paper id, uploaded file) pairs from the doc_<id> inputs of the request."""
    return [(doc.pk, f) for doc in documents for f in request.FILES.getlist(f"doc_{doc.pk}")]
