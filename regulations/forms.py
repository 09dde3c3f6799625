"""Web forms of the register. They only shape what a person typed into the services' arguments;
the rules stay in regulations/services.py, whose DomainError is put back next to the field it
names."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from catalog.models import Procedure
from motcua import inputs
from motcua.errors import DomainError
from motcua.inputs import InputField
from regulations.models import Provision


class _DomainErrors:
    def add_domain_error(self, err: DomainError) -> None:
        self.add_error(None, err.localized_message)
        for key, problems in err.fields.items():
            if key in self.fields:
                for problem in problems if isinstance(problems, list) else [problems]:
                    self.add_error(key, str(problem))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoundForm(_DomainErrors, forms.Form):
    name = InputField(rule=inputs.SHORT_LINE, label=_("Tên đợt rà soát"))
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị chủ trì"),
                                  empty_label="—")
    start_date = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    end_date = forms.DateField(label=_("Đến ngày"), widget=DateInput())
    basis = InputField(rule=inputs.NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                       label=_("Căn cứ (kế hoạch, văn bản chỉ đạo)"))

    def __init__(self, *args, unit_ids: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids).order_by("name")


class AddForm(_DomainErrors, forms.Form):
    """What to put under review: an element of the procedure shown (`element` is
    "kind:id"), a passage of its conditions, or a provision of a legal text."""

    element = forms.CharField(required=False, widget=forms.HiddenInput)
    procedure_code = InputField(rule=inputs.SHORT_LINE, required=False, label=_("Mã thủ tục"))
    legal_text = InputField(rule=inputs.SHORT_LINE, required=False,
                            label=_("Văn bản, điều khoản (ví dụ: Điều 5 Nghị định …)"))
    content = InputField(rule=inputs.NOTE, required=False, label=_("Nội dung quy định"),
                         widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, empty_label="—",
                                  label=_("Đơn vị rà soát, đề xuất"),
                                  help_text=_("Để trống: đơn vị giải quyết của thủ tục."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("name")

    def kind_and_element(self) -> tuple[str, str | None]:
        kind, _, element = (self.cleaned_data.get("element") or "").partition(":")
        return kind, element or None


class ProposalForm(_DomainErrors, forms.Form):
    action = forms.ChoiceField(label=_("Phương án"), required=False,
                               choices=[("", "—")] + list(Provision.Action.choices))
    reason = InputField(rule=inputs.NOTE, required=False, label=_("Lý do"),
                        widget=forms.Textarea(attrs={"rows": 3}))
    hourly_cost = forms.CharField(
        label=_("Chi phí một giờ làm việc (đồng)"), required=False,
        help_text=_("Để trống: tính theo thu nhập bình quân đầu người của năm rà soát "
                    "(Thông tư 02/2017/TT-VPCP)."))
    hours_before = forms.CharField(label=_("Số giờ mỗi hồ sơ — hiện hành"), required=False)
    fees_before = forms.CharField(label=_("Phí, lệ phí mỗi hồ sơ — hiện hành (đồng)"),
                                  required=False)
    outside_before = forms.CharField(
        label=_("Chi phí thuê ngoài mỗi hồ sơ — hiện hành (đồng)"), required=False,
        help_text=_("Sao chụp, chứng thực, đi lại, tư vấn, bưu chính."))
    hours_after = forms.CharField(label=_("Số giờ mỗi hồ sơ — sau đơn giản hóa"),
                                  required=False)
    fees_after = forms.CharField(label=_("Phí, lệ phí mỗi hồ sơ — sau đơn giản hóa (đồng)"),
                                 required=False)
    outside_after = forms.CharField(
        label=_("Chi phí thuê ngoài mỗi hồ sơ — sau đơn giản hóa (đồng)"), required=False)
    new_time_limit = forms.CharField(label=_("Thời hạn mới"), required=False)
    new_fee = forms.CharField(label=_("Mức phí mới (đồng)"), required=False)
    new_level = forms.ChoiceField(label=_("Cấp thực hiện mới (khi phân cấp)"), required=False,
                                  choices=[("", "—")] + [
                                      c for c in Procedure.Level.choices
                                      if c[0] != Procedure.Level.OTHER])
    new_text = InputField(rule=inputs.NOTE, required=False,
                          label=_("Nội dung mới của điều kiện"),
                          widget=forms.Textarea(attrs={"rows": 2}))

    # The fields a kind of provision has no use for are left out of its form.
    ONLY_FOR = {"new_time_limit": Provision.Kind.TIME_LIMIT, "new_fee": Provision.Kind.FEE,
                "new_text": Provision.Kind.CONDITION}

    def __init__(self, *args, provision: Provision, **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in self.ONLY_FOR.items():
            if provision.kind != kind:
                del self.fields[name]


class ApproveForm(_DomainErrors, forms.Form):
    decision_number = InputField(rule=inputs.SHORT_LINE, label=_("Số quyết định phê duyệt"))
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    effective_date = forms.DateField(label=_("Ngày có hiệu lực"), widget=DateInput(),
                                     help_text=_("Hồ sơ nộp từ ngày này dùng phiên bản mới của "
                                                 "thủ tục."))


class ReasonForm(_DomainErrors, forms.Form):
    reason = InputField(rule=inputs.REASON, label=_("Lý do"),
                        widget=forms.Textarea(attrs={"rows": 2}))


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Từ ngày"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Đến ngày"), widget=DateInput(), required=False)
