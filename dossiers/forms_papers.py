"""The paper checklist of the counter form: one-of groups, conditions, not applicable, look-ups.

Kept apart from dossiers/forms.py: these inputs shape the `papers` argument of
`dossier_create` (dossiers/services/papers.py holds the rules).
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import RequiredDocument
from catalog.text import fold
from motcua import inputs
from motcua.inputs import InputField

CHECK_FIELDS = ("applies", "not_applicable", "na_reason", "lookup")


def group_labels(documents: list[RequiredDocument]) -> dict[str, str]:
    """A short label per one-of group, in the order the groups appear: "A", "B"…"""
    labels: dict[str, str] = {}
    for doc in documents:
        if doc.alternative_group and doc.alternative_group not in labels:
            labels[doc.alternative_group] = chr(ord("A") + len(labels) % 26)
    return labels


def paper_fields_add(form: forms.Form, doc: RequiredDocument) -> None:
    key = f"doc_{doc.pk}"
    if doc.condition:
        form.fields[f"{key}_applies"] = forms.BooleanField(
            label=_("Người nộp thuộc trường hợp này"), required=False)
    form.fields[f"{key}_not_applicable"] = forms.BooleanField(
        label=_("Không áp dụng với người nộp này"), required=False)
    form.fields[f"{key}_na_reason"] = InputField(
        rule=inputs.REASON, label=_("Lý do không áp dụng"), required=False)
    if doc.lookup:
        form.fields[f"{key}_lookup"] = forms.BooleanField(
            label=_("Tra cứu thay cho giấy tờ"), required=False, initial=True)


def paper_row_fields(form: forms.Form, doc: RequiredDocument) -> dict[str, Any]:
    key = f"doc_{doc.pk}"
    return {part: form[f"{key}_{part}"] for part in CHECK_FIELDS
            if f"{key}_{part}" in form.fields}


def paper_checks_from(cleaned: dict[str, Any],
                      documents: list[RequiredDocument]) -> dict[str, Any]:
    """The `papers` argument of dossier_create from the ticked boxes.

    Ticking "Nộp thay theo ủy quyền" is the authorisation case: the papers whose condition
    names it ("Trường hợp ủy quyền…") are then due without a second tick.
    """
    applies, not_applicable, lookups = [], {}, []
    on_behalf = bool(cleaned.get("on_behalf"))
    for doc in documents:
        key = f"doc_{doc.pk}"
        if cleaned.get(f"{key}_applies") or (
                on_behalf and doc.condition and "uy quyen" in fold(doc.condition)):
            applies.append(doc.pk)
        if cleaned.get(f"{key}_not_applicable"):
            not_applicable[str(doc.pk)] = cleaned.get(f"{key}_na_reason") or ""
        elif cleaned.get(f"{key}_lookup") and not cleaned.get(f"{key}_received"):
            lookups.append(doc.pk)
    return {"applies": applies, "not_applicable": not_applicable, "lookups": lookups}


def paper_error_field(key: str) -> str | None:
    """"papers[12].reason" → "doc_12_na_reason": where a service error about a paper goes."""
    if not key.startswith("papers[") or "]" not in key:
        return None
    pk, _sep, part = key[len("papers["):].partition("]")
    if not pk.isdigit():
        return None
    part = part.lstrip(".")
    name = {"reason": "na_reason", "not_applicable": "not_applicable",
            "lookup": "lookup"}.get(part, "received")
    return f"doc_{pk}_{name}"
