"""Amounts of money as a reader of the page's language writes them: 1.250.000 in Vietnamese,
1,250,000 in English."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def grouped(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        whole = int(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{whole:,}"
    return text if (get_language() or "vi").startswith("en") else text.replace(",", ".")
