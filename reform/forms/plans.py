"""The forms of the plan pages; the rules are in reform/services, these only read the input."""

from datetime import date

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from motcua.errors import DomainError
from motcua.inputs import IdsChoiceField
from reform.models import Area, Directive, Task
from reform.selectors.units import units_under

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ListSelectMultiple(forms.SelectMultiple):
    """A multiple select written out in Python. Django renders every option through its own
    template; a year's register of directive documents holds hundreds, which made the task
    page's one form cost more than the rest of the page (bench/reform_plan.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((o["value"], flatatt(o["attrs"]), o["label"])
             for _group, group_options, _index in widget["optgroups"] for o in group_options))
        return format_html('<select name="{}"{}>{}</select>', widget["name"],
                           flatatt(widget["attrs"]), options)


def domain_error_show(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the field it names (or above the form), keeping the input."""
    placed = False
    for name, messages in (error.fields or {}).items():
        if name in form.fields:
            for message in messages if isinstance(messages, list) else [messages]:
                form.add_error(name, str(message))
            placed = True
    if not placed or error.code == "import_rejected":
        form.add_error(None, error.localized_message)


class PlanForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Cơ quan ban hành kế hoạch"), empty_label="—",
                                  queryset=Unit.objects.filter(
                                      is_active=True, kind__in=[Unit.Kind.PROVINCE,
                                                                Unit.Kind.MINISTRY,
                                                                Unit.Kind.DEPARTMENT,
                                                                Unit.Kind.COMMUNE]))
    year = forms.IntegerField(label=_("Năm kế hoạch"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=500)
    decision_number = forms.CharField(label=_("Số quyết định ban hành"), max_length=60,
                                      help_text=_("Ví dụ 123/QĐ-UBND."))
    decision_date = forms.DateField(label=_("Ngày quyết định"), input_formats=DATE_FORMATS,
                                    widget=DateInput())

    def __init__(self, *args, units: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:  # the agencies where the person is the CCHC officer
            self.fields["unit"].queryset = Unit.objects.filter(pk__in=units, is_active=True)


class TaskForm(forms.Form):
    # The parent by its number in the annex (STT): a select of every task of a plan of 100–150
    # tasks would be a page of options.
    parent = forms.CharField(label=_("Thuộc nhiệm vụ số"), max_length=20, required=False,
                             help_text=_("Số thứ tự của nhiệm vụ cha, ví dụ 2; để trống nếu là "
                                         "nhiệm vụ của lĩnh vực."))
    area = forms.ChoiceField(label=_("Lĩnh vực"), choices=[("", "—")] + Area.choices,
                             required=False,
                             help_text=_("Nhiệm vụ con để trống thì theo nhiệm vụ cha."))
    number = forms.CharField(label=_("Số thứ tự"), max_length=20, required=False)
    title = forms.CharField(label=_("Nội dung nhiệm vụ"), max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    expected_product = forms.CharField(label=_("Sản phẩm dự kiến"), max_length=500,
                                       required=False)
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), empty_label="—",
                                       queryset=Unit.objects.filter(is_active=True))
    cooperating_units = IdsChoiceField(
        label=_("Đơn vị phối hợp"), queryset=Unit.objects.filter(is_active=True), required=False)
    cooperating_other = forms.CharField(label=_("Đơn vị phối hợp khác"), max_length=500,
                                        required=False)
    deadline = forms.DateField(label=_("Thời hạn hoàn thành"), input_formats=DATE_FORMATS,
                               widget=DateInput(), required=False,
                               help_text=_("Để trống: thường xuyên, hạn cuối năm."))
    weight = forms.DecimalField(label=_("Trọng số"), min_value=0.01, max_value=9999,
                                decimal_places=2, initial=1)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if plan is not None:
            # Only the units under the plan's issuing agency: a select of every unit of the
            # installation would be a page of options.
            self.fields["lead_unit"].queryset = units_under(plan.unit)
            self.fields["cooperating_units"].queryset = units_under(plan.unit)


    def clean_parent(self):
        number = self.cleaned_data["parent"].strip().rstrip(".")
        if not number:
            return None
        parent = Task.objects.filter(plan=self.plan, number=number).order_by("pk").first()
        if parent is None:
            raise forms.ValidationError(_("Kế hoạch không có nhiệm vụ số “%(n)s”.")
                                        % {"n": number})
        return parent


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp phụ lục (.xlsx)"),
                           help_text=_("Theo tệp mẫu; tệp có lỗi thì không nhập dòng nào."))


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=99)
    note = forms.CharField(label=_("Nội dung đã thực hiện"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Tên minh chứng"), max_length=500, required=False)
    file = forms.FileField(label=_("Tệp (PDF, DOCX, XLSX, JPEG, PNG)"), required=False)
    uid = forms.CharField(label=_("Hoặc mã văn bản đã ký số trong hệ thống"), max_length=60,
                          required=False, help_text=_("Mã in dưới mã QR của văn bản."))
    url = forms.CharField(label=_("Hoặc đường dẫn"), max_length=1000, required=False)

    def clean(self):
        data = super().clean()
        given = [k for k in ("file", "uid", "url") if data.get(k)]
        if len(given) != 1:
            raise forms.ValidationError(_("Chọn đúng một loại minh chứng: tệp, mã văn bản đã "
                                          "ký số hoặc đường dẫn."))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(forms.Form):
    procedures = forms.CharField(label=_("Mã thủ tục hành chính liên quan"), required=False,
                                 max_length=2000,
                                 help_text=_("Các mã cách nhau bởi dấu phẩy, ví dụ 1.000001."))
    directives = IdsChoiceField(label=_("Văn bản chỉ đạo liên quan"),
                                                queryset=Directive.objects.all(),
                                                required=False, widget=ListSelectMultiple)

    review_rounds = IdsChoiceField(
        label=_("Đợt rà soát quy định thực hiện nhiệm vụ"), queryset=None,
        required=False, widget=ListSelectMultiple,
        help_text=_("Các đợt rà soát, đơn giản hóa quy định (Nghị quyết 68/NQ-CP) trong năm kế "
                    "hoạch mà nhiệm vụ này giao thực hiện."))

    def __init__(self, *args, year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if year is not None:  # the documents of the plan's year and the year before
            self.fields["directives"].queryset = Directive.objects.filter(
                date__year__gte=year - 1, date__year__lte=year)
        # The review rounds of the plan's year, read through the register's selector.
        from regulations.selectors import rounds_overlapping

        self.fields["review_rounds"].queryset = rounds_overlapping(
            start=date(year, 1, 1) if year else date.min,
            end=date(year, 12, 31) if year else date.max)


class DirectiveForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60)
    date = forms.DateField(label=_("Ngày ban hành"), input_formats=DATE_FORMATS,
                           widget=DateInput())
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=Directive.Kind.choices)
    summary = forms.CharField(label=_("Trích yếu"), max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Tệp văn bản (PDF, DOCX)"), required=False)
