"""{{ moment|time_since }}: how long ago, in the page's language.

Django's own `timesince` has no Vietnamese catalogue and wrote "10 minutes" on Vietnamese pages;
this one takes its words from the project's catalogue (Vietnamese source, English translation).
"""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import ngettext

register = template.Library()

_UNITS = (
    (86400, lambda n: ngettext("%(count)d ngày", "%(count)d ngày", n)),
    (3600, lambda n: ngettext("%(count)d giờ", "%(count)d giờ", n)),
    (60, lambda n: ngettext("%(count)d phút", "%(count)d phút", n)),
)


def duration_words(seconds: float) -> str:
    """The two largest units of a duration: "2 ngày 3 giờ", "10 phút"; under a minute, "0 phút"."""
    left = max(0, int(seconds))
    parts = []
    for size, words in _UNITS:
        count, left = divmod(left, size)
        if count:
            parts.append(words(count) % {"count": count})
    if not parts:
        return _UNITS[-1][1](0) % {"count": 0}
    return " ".join(parts[:2])


@register.filter
def time_since(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return ""
    return duration_words(((now or timezone.now()) - moment).total_seconds())
