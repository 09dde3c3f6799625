"""The pages a person sees when a page is not found, not allowed, refused as malformed, or fails.

Django's own pages are English and drop the reason the code gives: every `Http404` and
`PermissionDenied` of this project carries a Vietnamese message written for the person ("Không
tìm thấy hồ sơ.", "Chỉ cán bộ tiếp nhận … mới nhập …"), and the brief asks that bad input gets a
clear Vietnamese error. These handlers show that message in the site's layout. Under `/api/` they
answer in the API's error shape (motcua/api_errors.py) for a path no view serves.
"""

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from motcua.api_errors import MESSAGES, api_error_body

# Messages Django's own code raises (a lookup with get_object_or_404, a paginator, the static
# files view): they name models and internals, not what the person should do, so the page shows
# its general text instead.
_DJANGO_MESSAGES = re.compile(
    r"^(No .+ matches the given query\.|Invalid page.*|Empty list and .*|“.*” does not exist"
    r"|Directory indexes are not allowed here\.)$", re.DOTALL)


def _reason(exception: Exception | None) -> str:
    """The exception's own message when the project wrote it for the person, else ""."""
    args = getattr(exception, "args", ())
    message = args[0] if args else ""
    if not isinstance(message, str) or _DJANGO_MESSAGES.match(message):
        return ""
    return message


_API_CODES = {400: "parse_error", 403: "permission_denied", 404: "not_found"}


def _api(code: str, status: int) -> JsonResponse:
    message, message_en = MESSAGES[code]
    return JsonResponse(api_error_body(code, message, message_en), status=status)


def _page(request: HttpRequest, status: int, title: str, reason: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _api(_API_CODES[status], status)
    template = loader.get_template("errors/page.html")
    return HttpResponse(template.render({"title": title, "reason": reason}, request),
                        status=status)


@requires_csrf_token
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, _("Không tìm thấy trang hoặc hồ sơ bạn cần."), _reason(exception))


@requires_csrf_token
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, _("Bạn không có quyền xem trang này."), _reason(exception))


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A malformed request's message is Django's (too many fields, a bad host): not shown.
    return _page(request, 400, _("Yêu cầu không hợp lệ."), "")


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the site's layout: its navigation reads the database, which may be what
    # failed.
    if request.path.startswith("/api/"):
        return _api("server_error", 500)
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
