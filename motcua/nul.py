"""NUL characters: no PostgreSQL text or jsonb column can hold one, and a query comparing with one
fails, so what arrives from outside with it is refused (or, for a log of what arrived, replaced)
before it is stored or looked up. `NulRefusalMiddleware` does it once for every request's path,
query string, form fields and cookies; JSON ("\\u0000") is checked with `has_nul`."""

from collections.abc import Callable
from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.http.multipartparser import MultiPartParserError
from django.utils import translation


def has_nul(value: Any) -> bool:
    """Whether a NUL character is in any string, key or value, of a decoded JSON value."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def _api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class NulRefusalMiddleware:
    """One check for every request: a NUL in the path, a query-string or form field (name or
    value) gets a 400 naming the problem, before any view or query sees it;
    a cookie holding one is dropped (a person cannot clear a cookie by retyping it).

    JSON bodies are the API's: DRF's character fields refuse NUL themselves, and the JSON
    endpoints that take free-form bodies (national portal, payment callbacks) call `has_nul`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [n for n, v in request.COOKIES.items() if "\x00" in n or "\x00" in v]:
            del request.COOKIES[name]
        try:
            carries = self._carries_nul(request)
        except MultiPartParserError:
            # A body that says multipart but is not: the same 400 as for any unreadable body.
            return _bad_request(request, "Dữ liệu gửi lên không đọc được.",
                                "Malformed request body.", code="parse_error")
        if carries:
            return _bad_request(request, "Yêu cầu chứa ký tự NUL (\\0), không được chấp nhận.",
                                "The request contains a NUL character (\\0), which is not "
                                "accepted.")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or "\x00" in request.path_info:
            return True
        if _query_has_nul(request.GET):
            return True
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in FORM_TYPES:
            # Too many fields or too large a body raise Django's own 400 (SuspiciousOperation);
            # uploaded file names come sanitised by Django's multipart parser.
            return _query_has_nul(request.POST)
        return False


def _bad_request(request: HttpRequest, message: str, message_en: str, *,
                 code: str = "invalid") -> HttpResponse:
    """A 400 in the API's one error format under /api/, a short page in the visitor's language
    elsewhere."""
    if _api_request(request):
        body = {"error": {"code": code, "message": message, "message_en": message_en}}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    language = translation.get_language_from_request(request) or ""
    text = message_en if language.startswith("en") else message
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _query_has_nul(query: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values)
               for key, values in query.lists())
