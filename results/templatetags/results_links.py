"""Download links (and, for the desk, the digitising form) for a dossier's results, shown on the
dossier pages of another app.

`{% dossier_results_links dossier %}` on staff and applicant pages (the viewer already passed the
dossier's access rule); `{% public_results_links code %}` on the public lookup page, which renders
it only after the code and secret were proven, with links that open the file only in that
browser session and expire (results/views.py).
"""

from django import template
from django.urls import reverse

from accounts.selectors import user_roles
from dossiers.models import Dossier
from results.drafting import draft_latest, may_draft
from results.models import StoredDocument
from results.numbering import results_numbered
from results.selectors import dossier_results, dossier_stored
from results.views import may_digitise, public_download_grant

register = template.Library()


@register.inclusion_tag("results/_dossier_results.html", takes_context=True)
def dossier_results_links(context, dossier: Dossier) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    papers = []
    digitising = user is not None and user.is_authenticated and may_digitise(user, dossier)
    # The results and, for an officer who digitises, the digitised papers: one read.
    stored = dossier_stored(dossier=dossier, kinds=[
        StoredDocument.Kind.RESULT, *([StoredDocument.Kind.DIGITISED] if digitising else [])])
    if digitising:
        digitised = {s.title: s.uid for s in stored if s.kind == StoredDocument.Kind.DIGITISED}
        papers = [{"paper": d, "stored_uid": digitised.get(d.name[:500])}
                  for d in dossier.documents.all()]
    drafting = None
    if user is not None and user.is_authenticated and user_roles(user):
        latest = draft_latest(dossier)
        if latest is not None or may_draft(dossier, user):
            drafting = {"latest": latest, "may_draft": may_draft(dossier, user)}
    # Each result with its number (results/numbering.py): none is shown without one.
    return {"results": [{"stored": s, "url": reverse("results:download", args=[s.uid])}
                        for s in results_numbered(stored)
                        if s.kind == StoredDocument.Kind.RESULT],
            "drafting": drafting, "papers": papers, "dossier": dossier,
            "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("results/_dossier_results.html", takes_context=True)
def public_results_links(context, code: str) -> dict:
    """Rendered by the lookup page only once the code and secret were proven: each link opens
    its file in this browser session for an hour (results/views.py public_download)."""
    request = context.get("request")
    dossier = Dossier.objects.filter(code=code).first()
    if dossier is None or request is None:
        return {"results": []}
    results = results_numbered(dossier_results(dossier=dossier))
    for stored in results:
        public_download_grant(request.session, stored)
    return {"results": [{"stored": s, "url": reverse("results:public_download", args=[s.uid])}
                        for s in results]}
