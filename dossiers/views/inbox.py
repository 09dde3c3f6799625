"""Work lists: one tab per kind of work waiting for the person, with counts; one search box and
the filters (dossiers/list_filters.py) narrow the list and the counts alike, and the URL keeps
them, so a link or a reload shows the same list.

The search form is a POST under the CSRF check that redirects to the list's URL. A search by ID
or phone number reads and logs who filed under it in the officer's name, so it never runs from
a URL someone else could have written: the number is kept in the session and the URL holds an
opaque key for it (motcua/search_proof.py, docs/security.md). A number in the URL itself (an old
bookmark, a link from another site) is not searched: the list shows without it, with a notice
and a button that sends the same search through the form."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role, User
from accounts.selectors import user_is_staff_member, user_unit_ids
from catalog.models import Channel
from dossiers.list_filters import (
    DUE_CHOICES,
    SEARCH_KEY_PARAM,
    ListFilters,
    is_personal_search,
)
from dossiers.models import State
from dossiers.selectors import (
    COUNT_LIMIT,
    INBOXES,
    dossier_inbox_counts,
    dossier_list_page,
)
from dossiers.views.common import fragment, is_htmx, page, staff_required
from dossiers.views.due import due_flags
from dossiers.work_lists import work_list
from motcua.search_proof import (
    number_search_number,
    number_search_store,
    request_from_other_site,
)

PAGE_SIZE = 50

TAB_LABELS = {
    "receive": _("Chờ tiếp nhận"),
    "process": _("Chờ xử lý"),
    "approve": _("Chờ phê duyệt"),
    "return": _("Chờ trả kết quả"),
    "paused": _("Đang tạm dừng"),
    "all": _("Tất cả"),
}
# Which roles a tab is meant for; a tab is shown to others only when it holds dossiers.
TAB_ROLES = {
    "receive": {Role.RECEIVING},
    "process": {Role.RECEIVING, Role.SPECIALIST},
    "approve": {Role.HEAD},
    "return": {Role.RECEIVING},
}


def inbox(request: HttpRequest) -> HttpResponse:
    """The site's front door: staff open the given box, or the first one with work in it;
    applicants go to their own list; an anonymous visitor sees the public catalogue (the portal
    is public: the login page is one link away in the header)."""
    if not request.user.is_authenticated:
        return redirect("catalog:list")
    if (request.user.kind != User.Kind.STAFF
            and not user_is_staff_member(request.user)):
        # Where a citizen lands after logging in (LOGIN_REDIRECT_URL is the staff inbox).
        return redirect("dossiers:my_list")
    return _inbox(request)


@staff_required
def _inbox(request: HttpRequest) -> HttpResponse:
    box = request.GET.get("box")
    if box:
        return _render(request, box)
    counts = dossier_inbox_counts(user=request.user)
    first = next((b for b in INBOXES if b != "all" and counts.get(b)), "all")
    return redirect("dossiers:box", box=first)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def box(request: HttpRequest, box: str) -> HttpResponse:
    if request.method == "POST":
        return _search_post(request, box)
    return _render(request, box)


def _search_post(request: HttpRequest, box: str) -> HttpResponse:
    """The search form, sent under the CSRF check: the list's URL with the filters, a number
    standing there as the session's key. htmx gets the list at once with that URL to show in the
    address bar; a plain form is redirected to it (the list is read, and logged, once)."""
    if box not in INBOXES:
        raise Http404(_("Không có hộp hồ sơ này."))
    filters = ListFilters.from_query(request.POST)
    key = number_search_store(request.session, filters.q) if is_personal_search(filters) else ""
    query = filters.query_string(search_key=key)
    url = reverse("dossiers:box", args=[box]) + (f"?{query}" if query else "")
    if not is_htmx(request):
        return HttpResponseRedirect(url, status=303)
    response = _render(request, box, QueryDict(query))
    response["HX-Push-Url"] = url
    return response


def _proven_params(request: HttpRequest, source: QueryDict) -> tuple[QueryDict, str, dict | None]:
    """The URL's filters with the search by number only where this session asked for it: the
    parameters to read the list with, the key to keep in its links, and the notice to show
    when a number was not searched (None when nothing was refused)."""
    params = source.copy()
    key = (params.pop(SEARCH_KEY_PARAM, None) or [""])[-1]
    typed = ListFilters.from_query(params)
    if is_personal_search(typed):
        # A number in the URL never came from the form, which posts it: the officer confirms.
        params.pop("q", None)
        return params, "", {"q": typed.q, "expired": False}
    if not key:
        return params, "", None
    number = number_search_number(request.session, key)
    if not number or request_from_other_site(request):
        # Another session's key, a key forgotten at sign-out, or a link another site opened.
        return params, "", {"q": number, "expired": not number}
    params["q"] = number
    return params, key, None


def _render(request: HttpRequest, box: str, source: QueryDict | None = None) -> HttpResponse:
    if box not in INBOXES:
        raise Http404(_("Không có hộp hồ sơ này."))
    params, key, refused = _proven_params(request, request.GET if source is None else source)
    # The same search and filters, row-level rule and personal-data log as the API's list.
    work = work_list(request.user, params)
    filters = work.filters
    counts = work.counts()
    roles = {role for role in Role.values if user_unit_ids(request.user, role=role)}
    query = filters.query_string(search_key=key)
    tabs = [{"box": b, "label": TAB_LABELS.get(b, INBOXES[b]), "count": counts.get(b, 0),
             "more": counts.get(b, 0) > COUNT_LIMIT, "active": b == box,
             "query": query}
            for b in INBOXES
            if b == box or counts.get(b) or b not in TAB_ROLES or TAB_ROLES[b] & roles]
    after = params.get("sau", "")[:40]
    page_obj = dossier_list_page(work.box(box), after=after, size=PAGE_SIZE)
    rows = page_obj.rows
    work.rows_read(rows)
    flags = due_flags(rows, work.now)
    context = {
        "box": box, "box_label": TAB_LABELS.get(box, INBOXES[box]), "tabs": tabs,
        "page_obj": page_obj, "rows": [{"dossier": d, "due": flags.get(d.pk, "")} for d in rows],
        "nav": "inbox", "filters": filters, "query": query, "after": after,
        "count_limit": COUNT_LIMIT, "states": State.choices, "channels": Channel.choices,
        "due_choices": list(DUE_CHOICES.items()), "refused": refused,
    }
    if is_htmx(request):
        return fragment(request, "dossiers/_inbox.html", context)
    return page(request, "dossiers/inbox.html", context)
