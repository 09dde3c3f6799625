"""What every staff page shares: who may open it, how it answers htmx, the header's data."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.models import Unit
from accounts.selectors import desk_units, role_label, user_is_staff_member, user_memberships


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous people go to the login page; an account without a role in any unit is refused."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_staff_member(request.user):
            raise PermissionDenied(_("Trang này chỉ dành cho cán bộ có vai trò tại một đơn vị."))
        return view(request, *args, **kwargs)

    return wrapped


def counter_units(user) -> list[Unit]:
    """Units whose one-stop desk this person staffs (by name): where they may enter counter
    dossiers."""
    return desk_units(user_memberships(user))


def page(request: HttpRequest, template: str, context: dict | None = None, *,
         status: int = 200) -> HttpResponse:
    """Render a full page with the header's person, roles and navigation filled in: one query
    gives both the roles listed and whether the counter entry applies."""
    context = dict(context or {})
    rows = user_memberships(request.user)
    context.setdefault("ui_memberships", [
        {"role_label": role_label(m.role), "unit_name": m.unit.short_name or m.unit.name}
        for m in rows])
    context.setdefault("ui_can_counter", bool(desk_units(rows)))
    return render(request, template, context, status=status)


def fragment(request: HttpRequest, template: str, context: dict | None = None, *,
             status: int = 200) -> HttpResponse:
    """Render a piece of a page for htmx to swap in; it needs none of the header's data."""
    return render(request, template, context or {}, status=status)


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """htmx follows HX-Redirect with a full page load; a plain form gets 303 See Other."""
    if is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url, status=303)
