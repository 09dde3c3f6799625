"""The staff member's "Thông báo" page (mounted at /thong-bao/): what the system told them."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dossiers.views.common import page, staff_required
from motcua.inputs import id_parse
from notifications.selectors import staff_messages
from notifications.services import notifications_mark_read

PAGE_SIZE = 30


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(staff_messages(request.user), PAGE_SIZE).get_page(
        request.GET.get("trang"))
    return page(request, "notifications/inbox.html", {"nav": "notifications",
                                                       "page_obj": page_obj})


@staff_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    ids = request.POST.getlist("id")
    notifications_mark_read(user=request.user,
                            ids=[i for i in map(id_parse, ids) if i is not None] if ids else None)
    return redirect("notifications:inbox")
