"""`{% evaluation_link dossier_or_status %}`: the way to the evaluation from another page.

Takes a Dossier (the applicant's own dossier page) or the public lookup's PublicStatus (the
second factor is then carried over from the lookup's query string). Shows nothing before the
result is returned, a thank-you once evaluated, and the link otherwise.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from dossiers.models import State
from evaluations.models import Evaluation

register = template.Library()


@register.inclusion_tag("evaluations/_link.html", takes_context=True)
def evaluation_link(context, subject) -> dict:
    code = getattr(subject, "code", "")
    returned = (getattr(subject, "state", None) == State.RETURNED
                or getattr(subject, "status_code", None) == 10)
    if not code or not returned:
        return {"show": False}
    done = Evaluation.objects.filter(dossier__code=code).exists()
    url = reverse("evaluations:online", args=[code])
    request = context.get("request")
    factor = request.GET.get("bi-mat", "").strip() if request is not None else ""
    if factor:
        url = f"{url}?{urlencode({'bi-mat': factor})}"
    return {"show": True, "done": done, "url": url}
