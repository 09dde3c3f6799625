"""Tra cứu hồ sơ: anyone follows a dossier with its code plus a second factor, never the code alone.

The receipt's QR code leads here with both in the query string (?ma=…&bi-mat=…). Failed attempts
are counted per IP address in the cache; past the limit every attempt gets the same refusal for a
while, whatever it holds, so guessing the 4 phone digits of a known code does not pay.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dossiers.selectors import dossier_public_lookup, dossier_public_status

MAX_FAILURES = getattr(settings, "MOTCUA_LOOKUP_MAX_FAILURES", 5)
WINDOW_SECONDS = getattr(settings, "MOTCUA_LOOKUP_WINDOW_SECONDS", 15 * 60)


def _client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client wants it to be unless a trusted
    # proxy sets it, and the proxy in front of motcua passes the real address through.
    return request.META.get("REMOTE_ADDR", "")


def _failures_key(ip: str) -> str:
    return f"motcua:lookup-failures:{ip}"


def _record_failure(ip: str) -> None:
    key = _failures_key(ip)
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("ma", "").strip()
    factor = request.GET.get("bi-mat", "").strip()
    context = {"code": code, "status": None, "error": ""}
    status = 200
    if code or factor:
        ip = _client_ip(request)
        if (cache.get(_failures_key(ip)) or 0) >= MAX_FAILURES:
            context["error"] = _("Ông/bà đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau "
                                 "%(minutes)d phút.") % {"minutes": WINDOW_SECONDS // 60}
            status = 429
        elif not code or not factor:
            context["error"] = _("Cần nhập cả mã hồ sơ và mã bí mật (hoặc 4 số cuối điện "
                                 "thoại).")
            status = 400
        else:
            dossier = dossier_public_lookup(code=code, factor=factor)
            if dossier is None:
                _record_failure(ip)
                # One message for an unknown code and a wrong factor: no hint which was wrong.
                context["error"] = _("Không tìm thấy hồ sơ với mã và thông tin xác minh đã "
                                     "nhập. Kiểm tra lại mã hồ sơ và mã bí mật trên giấy tiếp "
                                     "nhận.")
                status = 404
            else:
                context["status"] = dossier_public_status(dossier=dossier)
    response = render(request, "dossiers/lookup.html", context, status=status)
    # The URL may carry the secret: keep it out of other sites' logs and of shared caches.
    # "same-origin", not "no-referrer": with the latter the browser posts this page's forms
    # (language, log-out, evaluation) with Origin: null, which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response
