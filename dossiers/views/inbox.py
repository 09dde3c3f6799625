"""Work lists: one tab per kind of work waiting for the person, with counts; one search box and
the filters (dossiers/list_filters.py) narrow the list and the counts alike, and the URL keeps
them, so a link or a reload shows the same list."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import user_is_staff_member, user_unit_ids
from catalog.models import Channel
from dossiers.list_filters import DUE_CHOICES
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
def box(request: HttpRequest, box: str) -> HttpResponse:
    return _render(request, box)


def _render(request: HttpRequest, box: str) -> HttpResponse:
    if box not in INBOXES:
        raise Http404(_("Không có hộp hồ sơ này."))
    # The same search and filters, row-level rule and personal-data log as the API's list.
    work = work_list(request.user, request.GET)
    filters = work.filters
    counts = work.counts()
    roles = {role for role in Role.values if user_unit_ids(request.user, role=role)}
    query = filters.query_string()
    tabs = [{"box": b, "label": TAB_LABELS.get(b, INBOXES[b]), "count": counts.get(b, 0),
             "more": counts.get(b, 0) > COUNT_LIMIT, "active": b == box,
             "query": query}
            for b in INBOXES
            if b == box or counts.get(b) or b not in TAB_ROLES or TAB_ROLES[b] & roles]
    after = request.GET.get("sau", "")[:40]
    page_obj = dossier_list_page(work.box(box), after=after, size=PAGE_SIZE)
    rows = page_obj.rows
    work.rows_read(rows)
    flags = due_flags(rows, work.now)
    context = {
        "box": box, "box_label": TAB_LABELS.get(box, INBOXES[box]), "tabs": tabs,
        "page_obj": page_obj, "rows": [{"dossier": d, "due": flags.get(d.pk, "")} for d in rows],
        "nav": "inbox", "filters": filters, "query": query, "after": after,
        "count_limit": COUNT_LIMIT, "states": State.choices, "channels": Channel.choices,
        "due_choices": list(DUE_CHOICES.items()),
    }
    if is_htmx(request):
        return fragment(request, "dossiers/_inbox.html", context)
    return page(request, "dossiers/inbox.html", context)
