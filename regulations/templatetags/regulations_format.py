"""Amounts of money as a reader of the page's language writes them: 1.250.000 in Vietnamese,
1,250,000 in English."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def grouped(value):
    if value is None or value == "":
        return "—"
    return number_format(value, force_grouping=True)
