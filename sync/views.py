"""The operator's sync page (/dong-bo/): counts, oldest pending change, failures, re-send."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.errors import DomainError
from sync import national, selectors, services


def operator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.user_may_operate_sync(request.user):
            raise PermissionDenied(_("Trang này chỉ dành cho quản trị hệ thống."))
        return view(request, *args, **kwargs)

    return wrapped


@operator_required
def status(request: HttpRequest) -> HttpResponse:
    # An administrator sees and re-sends the dossiers of the units they administer and those
    # under them (a commune's administrator, not the province's failures); of the last
    # reconciliation, its totals and the differences of those dossiers.
    units = selectors.sync_operator_unit_ids(request.user)
    reconcile = selectors.sync_last_reconcile()
    return render(request, "sync/status.html", {
        "nav": "sync",
        "overview": selectors.sync_overview(units),
        "failures": selectors.sync_failures(unit_ids=units),
        "reconcile": reconcile,
        "reconcile_rows": (selectors.sync_reconcile_rows(reconcile, unit_ids=units)
                           if reconcile is not None else []),
    })


@operator_required
@require_POST
def resend_dossier(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("code", "")
    try:
        services.outbox_resend_dossier(code=code,
                                       unit_ids=selectors.sync_operator_unit_ids(request.user))
    except DomainError as exc:
        messages.error(request, exc.localized_message)
    else:
        messages.success(request, _("Đã xếp hồ sơ %(code)s vào hàng đợi gửi lại.")
                         % {"code": code.strip()})
    return redirect("sync:status")


@operator_required
@require_POST
def resend_failed(request: HttpRequest) -> HttpResponse:
    count = services.outbox_resend_failed(
        unit_ids=selectors.sync_operator_unit_ids(request.user))
    messages.success(request, _("Đã xếp %(count)s bản tin lỗi vào hàng đợi gửi lại.")
                     % {"count": count})
    return redirect("sync:status")


@operator_required
def national_overview(request: HttpRequest) -> HttpResponse:
    """National mode: dossiers received from each province, by status code."""
    if settings.MOTCUA_MODE != "national":
        raise Http404
    rows = national.national_counts()
    codes = [str(n) for n in range(1, 11)]
    for row in rows:
        row["cells"] = [row["theo_trang_thai"].get(code, 0) for code in codes]
    return render(request, "sync/national.html", {
        "rows": rows, "codes": codes, "total": sum(r["tong"] for r in rows)})
