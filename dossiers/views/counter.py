"""Nhập hồ sơ tại quầy: the desk enters a dossier handed in at the counter or by post."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalog.selectors import procedure_list
from dossiers.forms import CounterForm
from dossiers.services import dossier_create
from dossiers.views.common import (
    counter_units,
    fragment,
    is_htmx,
    page,
    redirect_after_post,
    staff_required,
)
from motcua.errors import DomainError

SEARCH_LIMIT = 20


def _desk_units(request: HttpRequest):
    units = counter_units(request.user)
    if not units:
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận của đơn vị có bộ phận một cửa mới nhập "
                                 "hồ sơ tại quầy."))
    return units


def _search(query: str) -> list:
    query = (query or "").strip()
    return list(procedure_list(query=query)[:SEARCH_LIMIT]) if query else []


@staff_required
@require_http_methods(["GET", "POST"])
def counter_new(request: HttpRequest) -> HttpResponse:
    units = _desk_units(request)
    status = 200
    if request.method == "POST":
        form = CounterForm(request.POST, units=units)
        if form.is_valid():
            accept = request.POST.get("submit") == "accept"
            try:
                dossier, _created = dossier_create(
                    **form.service_kwargs(actor=request.user, accept=accept))
            except DomainError as err:
                form.add_domain_error(err)
            else:
                done = (_("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và hẹn trả kết quả.")
                        if accept else _("Đã lưu hồ sơ %(code)s, chưa tiếp nhận."))
                messages.success(request, done % {"code": dossier.code})
                return redirect_after_post(request, reverse("dossiers:detail",
                                                            args=[dossier.code]))
        status = 422
    else:
        # ?procedure=…&variant=… come from the picker when the browser runs without JavaScript.
        form = CounterForm(units=units, initial={"procedure": request.GET.get("procedure"),
                                                 "variant": request.GET.get("variant")})
    query = request.GET.get("q", "")
    context = {"form": form, "query": query, "results": _search(query), "nav": "counter"}
    return page(request, "dossiers/counter.html", context, status=status)


@staff_required
@require_GET
def procedure_search(request: HttpRequest) -> HttpResponse:
    """Live search of the procedure picker (diacritics-insensitive, by catalog.selectors)."""
    _desk_units(request)
    query = request.GET.get("q", "")
    context = {"query": query, "results": _search(query)}
    if is_htmx(request):
        return fragment(request, "dossiers/_procedure_results.html", context)
    return redirect(f"{reverse('dossiers:counter_new')}?{urlencode({'q': query})}")


@staff_required
@require_GET
def variant_options(request: HttpRequest) -> HttpResponse:
    """The chosen procedure's cases, and the papers of the chosen case, for the counter form."""
    units = _desk_units(request)
    form = CounterForm(units=units, initial={"procedure": request.GET.get("procedure"),
                                             "variant": request.GET.get("variant")})
    if is_htmx(request):
        return fragment(request, "dossiers/_variant_options.html", {"form": form, "oob": True})
    return redirect(f"{reverse('dossiers:counter_new')}?{request.GET.urlencode()}")
