"""HEAD behaves as GET without a body (RFC 9110 §9.3.2): every page that answers GET answers
HEAD too. `require_GET` and `require_http_methods(["GET", "POST"])` refused it with a 405, which
link checkers, monitoring probes and some browsers' prefetch send; the walk over the URL conf
keeps a new GET-only page from doing it again."""

import inspect
import sys
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dossiers.models import DossierEvent

ROOT = Path(__file__).resolve().parents[2]
# The VNeID sign-in callback spends its one-time code (mozilla-django-oidc takes GET only): a
# HEAD sent there by a prefetcher must not sign anyone in nor burn the code.
GET_ONLY = {"oidc/callback/"}


def _ours(callback) -> bool:
    module = sys.modules.get(getattr(callback, "__module__", ""), None)
    where = Path(getattr(module, "__file__", "") or "/").resolve()
    return ROOT in where.parents and ".venv" not in where.parts


def _views(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _views(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def _methods(callback) -> set[str] | None:
    """The methods a view lets through, as its decorators (Django's require_http_methods keeps
    them in its closure as `request_method_list`) or its class say; None when nothing limits
    them."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return {m.upper() for m in view_class.http_method_names}
    function = callback
    while function is not None:
        if inspect.isfunction(function):
            allowed = inspect.getclosurevars(function).nonlocals.get("request_method_list")
            if allowed is not None:
                return set(allowed)
        function = getattr(function, "__wrapped__", None)
    return None


def test_every_page_that_answers_get_answers_head():
    limited, refusing = 0, []
    for route, callback in _views(get_resolver().url_patterns):
        if not _ours(callback):
            continue
        methods = _methods(callback)
        if methods is None:
            continue
        limited += 1
        if "GET" in methods and "HEAD" not in methods and route not in GET_ONLY:
            refusing.append(f"{route} ({callback.__module__}.{callback.__name__})")
    # The walk reads Django's closure: if Django renamed it, nothing would be found — say so.
    assert limited > 50
    assert refusing == []


def test_head_is_the_get_without_its_body(client, client_for, org, make_dossier):
    get, head = client.get(reverse("catalog:list")), client.head(reverse("catalog:list"))
    assert (get.status_code, head.status_code) == (200, 200)
    assert head["Content-Type"] == get["Content-Type"] and head.content == b""
    # The desk's counter form and a dossier's action form take GET and POST: HEAD is the GET
    # (the counter form once built its form only for "GET", so HEAD would have crashed).
    desk = client_for(org.desk)
    assert desk.head(reverse("dossiers:counter_new")).status_code == 200
    dossier = make_dossier()
    page = desk.head(reverse("dossiers:act", args=[dossier.code, "request_supplement"]))
    assert page.status_code in (200, 409) and page.content == b""
    assert not DossierEvent.objects.filter(dossier=dossier, action="request_supplement").exists()
