"""The evaluation form: one radio group per criterion and per rating, each a labelled fieldset."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.criteria import CRITERIA, RATING_QUESTIONS, Rating
from motcua import inputs
from motcua.errors import DomainError
from motcua.inputs import InputField


class EvaluationForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for number, c in enumerate(CRITERIA, start=1):
            self.fields[c.key] = forms.TypedChoiceField(
                label=f"{number}. {c.question}", coerce=int, widget=forms.RadioSelect,
                choices=[(points, _("%(option)s (%(points)d điểm)") % {
                    "option": option, "points": points})
                    for points, option in zip((2, 1, 0), c.options, strict=True)],
                error_messages={"required": _("Chọn một mức cho tiêu chí này.")})
        for key, question in RATING_QUESTIONS.items():
            self.fields[key] = forms.ChoiceField(
                label=question, choices=Rating.choices, widget=forms.RadioSelect,
                error_messages={"required": _("Chọn một mức đánh giá.")})
        self.fields["comment"] = InputField(
            rule=inputs.NOTE, label=_("Góp ý thêm (không bắt buộc)"), required=False,
            widget=forms.Textarea(attrs={"rows": 3}))

    def add_domain_error(self, error: DomainError) -> None:
        """A service's refusal next to the questions it names, else above the form."""
        placed = False
        for name, problems in (error.fields or {}).items():
            if name in self.fields:
                for problem in problems:
                    self.add_error(name, problem)
                placed = True
        if not placed:
            self.add_error(None, error.localized_message)


class KioskPickForm(forms.Form):
    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=60)


class FollowUpCloseForm(forms.Form):
    note = InputField(rule=inputs.NOTE, label=_("Kết quả xử lý"),
                      widget=forms.Textarea(attrs={"rows": 3}))
