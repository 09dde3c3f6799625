"""Tra cứu hồ sơ: anyone follows a dossier with its code plus a second factor, never the code alone.

The factor travels in a POST body, never in a URL, so it stays out of access logs. The receipt's
QR code and the SMS carry it in the URL's fragment (`?ma=…#bi-mat=…`), which browsers do not
send: lookup.js moves it into the form and posts it. Wrong tries are counted per code and per
address in the database (dossiers/services/lookup.py); a success is remembered in the session,
so the evaluation page the result links to needs no secret in its URL.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.lockout import lockout_client_ip
from dossiers.lookup import CODE_MAX_LENGTH, FACTOR_MAX_LENGTH, lookup_proof_record
from dossiers.opened import BY_LOOKUP, dossier_opened
from dossiers.selectors import dossier_public_status, lookup_code_normalize
from dossiers.services.lookup import lookup_attempt
from motcua.errors import DomainError


def private(response: HttpResponse) -> HttpResponse:
    """No shared cache keeps a status page, and no other site learns its address."""
    # "same-origin", not "no-referrer": with the latter the browser posts this page's forms
    # (language, log-out, evaluation) with Origin: null, which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    # The code alone may come in the URL (it opens nothing); the factor only in the body.
    code = (request.POST.get("ma") or request.GET.get("ma") or "")[:CODE_MAX_LENGTH].strip()
    context = {"code": code, "status": None, "error": ""}
    status = 200
    if request.method == "POST":
        factor = request.POST.get("bi-mat", "")[:FACTOR_MAX_LENGTH].strip()
        if not code or not factor:
            context["error"] = _("Cần nhập cả mã hồ sơ và mã bí mật (hoặc 4 số cuối điện "
                                 "thoại).")
            status = 400
        else:
            try:
                dossier = lookup_attempt(code=code, factor=factor,
                                         address=lockout_client_ip(request) or "")
            except DomainError as error:
                context["error"] = error.localized_message
                status = error.http_status
            else:
                lookup_proof_record(request.session, dossier.code)
                # The code and secret are the right to the result's links (the payment page's
                # is renewed here when it has run out): written now, the template only reads.
                dossier_opened(dossier=dossier, by=BY_LOOKUP)
                context["status"] = dossier_public_status(dossier=dossier)
                context["code"] = lookup_code_normalize(code)
    return private(render(request, "dossiers/lookup.html", context, status=status))
