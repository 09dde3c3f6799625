"""Staff reads of personal data run only when the officer opened the page from this site.

Opening a dossier, printing its forms, downloading a paper, exporting the register, opening a
feedback item, previewing a result draft, an admin change page: each shows a citizen's data and
writes a row of the personal-data log in the officer's name (accounts.services.data_access).
Decree 13/2023/NĐ-CP art. 9 (since 01/01/2026 Law 91/2025/QH15) gives the person the right to
know who read their data, so the log must be true. These pages are GETs, and another site can
make a signed-in officer's browser send a GET (a link, a redirect, an `<img>` from a sibling
host): the log would then hold a read the officer never chose.

The browser says who started a request in `Sec-Fetch-Site`, which no page can set
(motcua.search_proof.request_from_other_site). When another site started it, the guarded view
does not run at all: no read of the object, no log. The answer is a small page saying so, with a
link to the same address; followed, that link is a request of this site (`same-origin`) and the
page opens as usual. A request without the header (an older browser, a script, an e-mail app's
"none", an address typed or bookmarked) runs as before. POSTs are under the CSRF check already.
A citizen reading their own data is not logged, so the views that serve citizens too pass `when`
to guard only the requests that would be logged.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import escape_leading_slashes
from django.utils.translation import gettext as _

from motcua.errors import DomainError
from motcua.search_proof import request_from_other_site

# Set on every guarded view (and kept by functools.wraps on the decorators above it), so a test
# can walk the URL conf and find a view that logs reads without the guard.
GUARD_ATTR = "motcua_cross_site_read_guard"
# The methods the CSRF check lets through (Django's "safe" methods): the others carry the
# CSRF token, which another site cannot. A function view answers any method it is not
# restricted from; another site's page can send only GET and HEAD with the cookie (OPTIONS
# and TRACE never reach here with it), but the guard does not rely on that.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

View = Callable[..., Any]
When = Callable[[HttpRequest], bool]


def opened_from_other_site(request: HttpRequest, when: When | None = None) -> bool:
    """A reading request another site started, which `when` (if given) says would be logged."""
    return (request.method in READING_METHODS and request_from_other_site(request)
            and (when is None or when(request)))


def other_site_notice(request: HttpRequest) -> HttpResponse:
    """The page shown instead of a guarded one: nothing of the object, a link to open it here.

    200 for a top-level navigation (the officer reads the page, then decides); 403 for anything
    else another site made the browser fetch (an image, a frame, a script), which no one reads.
    Never cached: the link leads to the same address, and must reach the server to open it."""
    navigation = (request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"
                  and request.headers.get("Sec-Fetch-Dest", "document") == "document")
    # The address as this request had it; a path starting with "//" would be another host.
    here = escape_leading_slashes(request.get_full_path())
    response = TemplateResponse(request, "cross_site_read.html", {
        "here": here,
        "title": _("Trang này được mở từ một trang web khác"),
    }, status=200 if navigation else 403)
    add_never_cache_headers(response)
    patch_vary_headers(response, ("Sec-Fetch-Site",))
    return response


def _mark(view: Callable[..., Any]) -> None:
    setattr(view, GUARD_ATTR, True)


def staff_read_page(view: View | None = None, *, when: When | None = None) -> Any:
    """Guard a page view that logs a staff read (`@staff_read_page`, or
    `@staff_read_page(when=…)` for a view whose readers are not all logged). Put it under the
    login or role check, so that anonymous people still go to the login page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if opened_from_other_site(request, when):
                return other_site_notice(request)
            response = view(request, *args, **kwargs)
            # The same address answers differently to another site: no cache may mix them.
            patch_vary_headers(response, ("Sec-Fetch-Site",))
            return response

        _mark(guarded)
        return guarded

    return decorate(view) if view is not None else decorate


def staff_read_api(method: View | None = None, *, when: When | None = None) -> Any:
    """Guard an API view's `get` that logs a staff read. Only the browser's session is asked:
    a token in the Authorization header is never sent by a browser on its own, so another site
    cannot spend it; the API docs page's calls are same-origin. A refusal is a 403 in the API's
    error format, before anything is read."""

    def decorate(method: View) -> View:
        @wraps(method)
        def guarded(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
            from rest_framework.authentication import SessionAuthentication

            by_session = isinstance(getattr(request, "successful_authenticator", None),
                                    SessionAuthentication)
            if by_session and opened_from_other_site(request, when):
                raise DomainError(
                    "permission_denied",
                    "Yêu cầu do một trang web khác gửi bằng phiên đăng nhập của cán bộ: chưa đọc "
                    "và chưa ghi nhật ký dữ liệu cá nhân. Mở từ trang của hệ thống, hoặc dùng "
                    "token API.",
                    "A request sent by another site with an officer's browser session: nothing "
                    "was read or logged. Open it from the system's own pages, or use an API "
                    "token.", http_status=403)
            return method(self, request, *args, **kwargs)

        _mark(guarded)
        return guarded

    return decorate(method) if method is not None else decorate


def is_guarded(view: Callable[..., Any]) -> bool:
    """Whether `view`, or a function it wraps, went through one of the guards above (the mark
    starts there and functools.wraps carries it outwards)."""
    return bool(getattr(view, GUARD_ATTR, False))
