"""Web forms of the staff pages: counter entry and the input some actions need.

The forms only shape what a person typed into the arguments of `dossier_create` and
`dossier_act`; the rules (valid IDs, mandatory papers, who may act) stay in the services, and a
`DomainError` they raise is put back on the form next to the field it names.
"""

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.selectors import unit_members
from catalog.models import Channel, Procedure, RequiredDocument, Variant
from dossiers import handover
from dossiers.forms_papers import (
    group_labels,
    paper_checks_from,
    paper_error_field,
    paper_fields_add,
    paper_row_fields,
)
from dossiers.models import RETURN_METHOD_LABELS, ApplicantKind, Dossier
from dossiers.services.transitions import STEP_ROLE_ACTOR
from dossiers.states import Transition
from motcua import inputs
from motcua.errors import DomainError
from motcua.inputs import InputField, id_parse

# Actions that need more than a click: they open a form before they are posted.
INPUT_ACTIONS = frozenset({"forward", "request_supplement", "apologize", "request_payment",
                           "return_result"})


def needs_input(t: Transition) -> bool:
    return t.reason_required or t.action in INPUT_ACTIONS


class _DomainErrorsMixin:
    """Put a service's DomainError on the form: its message on top, each field's next to it."""

    # Keys of DomainError.fields → names of this form's fields.
    error_fields: dict[str, str] = {}

    def add_domain_error(self, err: DomainError) -> None:
        self.add_error(None, err.localized_message)
        for key, problems in err.fields.items():
            name = self._error_field(key)
            if name is None:
                continue
            for problem in problems if isinstance(problems, list) else [problems]:
                self.add_error(name, str(problem))

    def _error_field(self, key: str) -> str | None:
        name = self.error_fields.get(key)
        return name if name in self.fields else None


# --- actions ----------------------------------------------------------------------------------

class ActionForm(_DomainErrorsMixin, forms.Form):
    """The fields one action needs, and nothing else."""

    error_fields = {"reason": "reason", "assignee": "assignee",
                    "missing_documents": "missing_documents", "new_due_at": "new_due_date",
                    "amount": "amount", "receiver.method": "receiver_method",
                    "receiver.kind": "receiver_kind", "receiver.name": "receiver_name",
                    "receiver.paper": "receiver_paper", "receiver.tracking": "postal_tracking"}

    def __init__(self, *args, dossier: Dossier, transition: Transition, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.transition = transition
        action = transition.action
        if action == "forward":
            self._add_assignee()
        elif action == "request_supplement":
            self._add_missing_documents()
        elif action == "apologize":
            self.fields["new_due_date"] = forms.DateField(
                label=_("Ngày hẹn trả mới"), widget=forms.DateInput(attrs={"type": "date"}))
            self.fields["new_due_time"] = forms.TimeField(
                label=_("Giờ hẹn trả mới"), widget=forms.TimeInput(attrs={"type": "time"}),
                initial="16:00")
        elif action == "return_result":
            self._add_receiver()
        elif action == "request_payment":
            self.fields["amount"] = forms.IntegerField(
                label=_("Số tiền phải nộp (đồng)"), min_value=0, max_value=inputs.AMOUNT_MAX,
                required=False,
                help_text=_("Để trống nếu chưa xác định được số tiền."))
        if transition.reason_required:
            self.fields["reason"] = InputField(
                rule=inputs.REASON, label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": _("Cần ghi rõ lý do.")})

    def _add_receiver(self) -> None:
        """Who receives the result, the paper they show, how (dossiers/handover.py)."""
        wanted = {"Qua dịch vụ bưu chính công ích": handover.POST,
                  "Nhận bản điện tử": handover.ONLINE}.get(self.dossier.return_method,
                                                          handover.DESK)
        self.fields["receiver_method"] = forms.ChoiceField(
            label=_("Hình thức trả kết quả"), choices=list(handover.METHODS.items()),
            initial=wanted, widget=forms.RadioSelect)
        self.fields["receiver_kind"] = forms.ChoiceField(
            label=_("Người nhận kết quả"), choices=list(handover.RECEIVER_KINDS.items()),
            initial=handover.APPLICANT, widget=forms.RadioSelect)
        self.fields["receiver_name"] = InputField(
            rule=inputs.NAME, label=_("Họ và tên người nhận"), required=False,
            initial=self.dossier.applicant_name,
            help_text=_("Người được ủy quyền: ghi họ tên người đó."))
        self.fields["receiver_paper"] = InputField(
            rule=handover.PAPER, label=_("Giấy tờ người nhận xuất trình (loại và số)"),
            required=False,
            help_text=_("Ví dụ: CCCD số 056185004321; người được ủy quyền ghi cả văn bản ủy "
                        "quyền. Bắt buộc khi nhận tại bộ phận một cửa."))
        self.fields["postal_tracking"] = InputField(
            rule=handover.TRACKING, label=_("Số hiệu bưu gửi"), required=False,
            help_text=_("Bắt buộc khi trả qua bưu chính."))

    def _add_missing_documents(self) -> None:
        names = [d.name for d in self.dossier.variant.documents.all()]
        if not names:
            return
        self.fields["missing_documents"] = forms.MultipleChoiceField(
            label=_("Giấy tờ cần bổ sung, hoàn thiện"),
            help_text=_("Chỉ được yêu cầu giấy tờ có trong thành phần hồ sơ đã công bố."),
            choices=[(n, n) for n in names], widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Cần chọn ít nhất một giấy tờ.")})

    def _add_assignee(self) -> None:
        step = self._next_step()
        if step is None:
            return
        role = STEP_ROLE_ACTOR.get(step.role)
        people = unit_members(unit=step.unit, role=role) if role else []
        self.fields["assignee"] = forms.TypedChoiceField(
            label=_("Người nhận tại %(unit)s") % {"unit": step.unit.name},
            choices=[("", _("— Không chỉ định: đơn vị tự phân công —"))]
            + [(u.pk, u.display_name + (f", {u.title}" if u.title else "")) for u in people],
            coerce=int, required=False, empty_value=None)

    def _next_step(self):
        current = self.dossier.current_step
        if current is None:
            return None
        return (self.dossier.steps.filter(order=current.order + 1).select_related("unit")
                .first())

    def service_kwargs(self) -> dict[str, Any]:
        """reason and data for dossier_act, in the shape dossiers/services/transitions.py reads."""
        cd = self.cleaned_data
        data: dict[str, Any] = {}
        if cd.get("assignee") is not None:
            data["assignee"] = cd["assignee"]
        if "missing_documents" in cd:
            data["missing_documents"] = list(cd["missing_documents"])
        if cd.get("new_due_date") and cd.get("new_due_time"):
            moment = datetime.combine(cd["new_due_date"], cd["new_due_time"])
            data["new_due_at"] = timezone.make_aware(moment).isoformat()
        if cd.get("amount") is not None:
            data["amount"] = cd["amount"]
        if "receiver_method" in cd:
            data["receiver"] = {"method": cd["receiver_method"], "kind": cd["receiver_kind"],
                                "name": cd.get("receiver_name", ""),
                                "paper": cd.get("receiver_paper", ""),
                                "tracking": cd.get("postal_tracking", "")}
        return {"reason": cd.get("reason", ""), "data": data}


# --- counter entry ----------------------------------------------------------------------------

# Online dossiers come in through the portal, never through this form.
CHANNELS = [(c.value, c.label) for c in (Channel.COUNTER, Channel.POST)]
RETURN_METHODS = [("", _("— Chọn —")), *RETURN_METHOD_LABELS.items()]
DOC_FIELDS = ("received", "copy_kind", "count", "original_seen")


class CounterForm(_DomainErrorsMixin, forms.Form):
    """Nhập hồ sơ tại quầy: applicant, procedure case, papers received, and how it came in."""

    error_fields = {"receiving_unit": "receiving_unit", "channel": "channel",
                    "sets_count": "sets_count", "applicant.kind": "applicant_kind",
                    "applicant.name": "applicant_name",
                    "applicant.id_number": "applicant_id_number",
                    "applicant.address": "applicant_address",
                    "applicant.phone": "applicant_phone", "applicant.email": "applicant_email",
                    "applicant.owner_name": "owner_name",
                    "applicant.owner_id_number": "owner_id_number", "summary": "summary"}

    receiving_unit = forms.ModelChoiceField(label=_("Đơn vị tiếp nhận"),
                                            queryset=Unit.objects.none())
    procedure = forms.ModelChoiceField(
        queryset=Procedure.objects.filter(is_active=True), widget=forms.HiddenInput,
        error_messages={"required": _("Cần chọn thủ tục hành chính."),
                        "invalid_choice": _("Thủ tục không còn được áp dụng.")})
    variant = forms.ModelChoiceField(
        label=_("Trường hợp"), queryset=Variant.objects.none(), widget=forms.RadioSelect,
        empty_label=None, error_messages={"required": _("Cần chọn trường hợp của thủ tục.")})
    applicant_kind = forms.TypedChoiceField(label=_("Loại đối tượng"),
                                            choices=ApplicantKind.choices, coerce=int,
                                            initial=ApplicantKind.CITIZEN)
    applicant_name = InputField(rule=inputs.NAME, label=_("Họ và tên người nộp / tên tổ chức"),
                                error_messages={"required": _("Cần nhập họ tên.")})
    applicant_id_number = InputField(
        rule=inputs.ID_NUMBER, label=_("Số định danh cá nhân / mã số doanh nghiệp"),
        required=False, help_text=_("Công dân: 12 chữ số. Doanh nghiệp: mã số thuế."))
    applicant_address = InputField(rule=inputs.ADDRESS, label=_("Địa chỉ"), required=False)
    applicant_phone = InputField(rule=inputs.PHONE, label=_("Số điện thoại"), required=False,
                                 widget=forms.TextInput(attrs={"type": "tel"}))
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    on_behalf = forms.BooleanField(label=_("Nộp thay theo ủy quyền"), required=False)
    owner_name = InputField(rule=inputs.NAME, label=_("Họ và tên chủ hồ sơ (người ủy quyền)"),
                            required=False)
    owner_id_number = InputField(rule=inputs.ID_NUMBER,
                                 label=_("Số định danh cá nhân của chủ hồ sơ"), required=False)
    summary = InputField(rule=inputs.SUMMARY, label=_("Trích yếu nội dung yêu cầu"),
                         required=False, widget=forms.Textarea(attrs={"rows": 3}),
                         help_text=_("Để trống để dùng tên thủ tục."))
    sets_count = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=20, initial=1)
    channel = forms.TypedChoiceField(label=_("Hình thức nộp"), choices=CHANNELS, coerce=int,
                                     initial=Channel.COUNTER.value, widget=forms.RadioSelect)
    return_method = forms.ChoiceField(label=_("Hình thức nhận kết quả"), choices=RETURN_METHODS,
                                      required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args, units: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        unit_field = self.fields["receiving_unit"]
        unit_field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            unit_field.initial = units[0].pk
            unit_field.widget = forms.HiddenInput()
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        self.chosen_procedure = self._chosen(Procedure.objects.filter(is_active=True), "procedure")
        self.chosen_variant = None
        self.case_documents: list[RequiredDocument] = []
        self.group_labels: dict[str, str] = {}
        if self.chosen_procedure is not None:
            variants = Variant.objects.filter(procedure=self.chosen_procedure)
            self.fields["variant"].queryset = variants
            self.chosen_variant = self._chosen(variants, "variant")
            if self.chosen_variant is None and len(variants) == 1:
                self.chosen_variant = variants[0]
                self.initial["variant"] = self.chosen_variant.pk
        if self.chosen_variant is not None:
            self.case_documents = list(self.chosen_variant.documents.all())
            for doc in self.case_documents:
                self._add_document_fields(doc)
                paper_fields_add(self, doc)
            self.group_labels = group_labels(self.case_documents)
        self._sent_documents: list[RequiredDocument] = []
        # The scans of a refused try kept on the server (motcua.held_files), by paper.
        self.held_scans: dict[int, list[dict]] = {}

    def _chosen(self, queryset, name: str):
        raw = self.data.get(name) if self.is_bound else self.initial.get(name)
        pk = id_parse(raw)
        return None if pk is None else queryset.filter(pk=pk).first()

    def _add_document_fields(self, doc: RequiredDocument) -> None:
        key = f"doc_{doc.pk}"
        self.fields[f"{key}_received"] = forms.BooleanField(
            label=_("Đã nhận: %(name)s") % {"name": doc.name}, required=False)
        self.fields[f"{key}_copy_kind"] = forms.ChoiceField(
            label=_("Loại bản"), choices=RequiredDocument.CopyKind.choices,
            initial=doc.copy_kind)
        self.fields[f"{key}_count"] = forms.IntegerField(
            label=_("Số lượng"), min_value=1, max_value=100, initial=doc.count)
        self.fields[f"{key}_original_seen"] = forms.BooleanField(
            label=_("Đã đối chiếu bản chính"), required=False)

    def document_rows(self) -> list[dict[str, Any]]:
        """One row per paper of the chosen case, with its four inputs, for the template."""
        return [{"doc": doc, "group": self.group_labels.get(doc.alternative_group, ""),
                 **{part: self[f"doc_{doc.pk}_{part}"] for part in DOC_FIELDS},
                 **paper_row_fields(self, doc), "held": self.held_scans.get(doc.pk, [])}
                for doc in self.case_documents]

    def clean(self):
        cd = super().clean()
        if cd.get("on_behalf") and not (cd.get("owner_name") or "").strip():
            self.add_error("owner_name", _("Cần nhập họ tên chủ hồ sơ khi nộp thay."))
        return cd

    def service_kwargs(self, *, actor, accept: bool) -> dict[str, Any]:
        """Keyword arguments for dossier_create."""
        cd = self.cleaned_data
        on_behalf = cd.get("on_behalf")
        documents = []
        self._sent_documents = []
        for doc in self.case_documents:
            key = f"doc_{doc.pk}"
            if not cd.get(f"{key}_received"):
                continue
            self._sent_documents.append(doc)
            documents.append({"required_document": doc.pk,
                              "copy_kind": cd.get(f"{key}_copy_kind") or doc.copy_kind,
                              "count": cd.get(f"{key}_count") or doc.count,
                              "original_seen": bool(cd.get(f"{key}_original_seen"))})
        return {
            "actor": actor,
            "variant": cd["variant"],
            "channel": cd["channel"],
            "receiving_unit": cd["receiving_unit"],
            "applicant": {
                "kind": cd["applicant_kind"],
                "name": cd["applicant_name"],
                "id_number": cd.get("applicant_id_number", ""),
                "address": cd.get("applicant_address", ""),
                "phone": cd.get("applicant_phone", ""),
                "email": cd.get("applicant_email", ""),
                "owner_name": cd.get("owner_name", "") if on_behalf else "",
                "owner_id_number": cd.get("owner_id_number", "") if on_behalf else "",
            },
            "documents": documents,
            "summary": cd.get("summary", ""),
            "sets_count": cd["sets_count"],
            "return_method": cd.get("return_method", ""),
            "idempotency_key": cd.get("idempotency_key", ""),
            "accept": accept,
            "papers": paper_checks_from(cd, self.case_documents),
        }

    def add_domain_error(self, err: DomainError) -> None:
        if err.code == "idempotency_key_reused":
            # The page was sent once already (back button, then edits): this is a new dossier,
            # so it gets a new key and the person only has to press the button again.
            self.data = self.data.copy()
            self.data["idempotency_key"] = uuid.uuid4().hex
            self.add_error(None, _("Biểu mẫu này đã được dùng để lưu một hồ sơ khác. Kiểm tra "
                                   "lại thông tin rồi bấm lưu một lần nữa."))
            return
        super().add_domain_error(err)
        missing = err.fields.get("documents")
        if isinstance(missing, list):
            # The service names the mandatory papers not ticked; mark each of their rows.
            for doc in self.case_documents:
                if doc.name in missing or any(doc.name in m for m in missing
                                              if m.startswith("một trong: ")):
                    self.add_error(f"doc_{doc.pk}_received", _("Giấy tờ bắt buộc chưa nhận."))

    def _error_field(self, key: str) -> str | None:
        paper_field = paper_error_field(key)
        if paper_field is not None:
            return paper_field if paper_field in self.fields else None
        # "documents[2].count" names the third paper sent to the service.
        if key.startswith("documents[") and "]." in key:
            index, _sep, part = key[len("documents["):].partition("].")
            if index.isdigit() and int(index) < len(self._sent_documents):
                doc = self._sent_documents[int(index)]
                part = part if part in DOC_FIELDS else "received"
                name = f"doc_{doc.pk}_{part}"
                return name if name in self.fields else None
            return None
        return super()._error_field(key)
