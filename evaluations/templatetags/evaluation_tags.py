"""`{% evaluation_link dossier_or_status %}`: the way to the evaluation from another page.

Takes a Dossier (the applicant's own dossier page) or the public lookup's PublicStatus (the
lookup proved the second factor in the visitor's session). Shows nothing before the
result is returned, a thank-you once evaluated, and the link otherwise.
"""

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
    # No secret in the link: the lookup recorded the proof in the visitor's session.
    return {"show": True, "done": done, "url": reverse("evaluations:online", args=[code])}
