"""Pages of the register (mounted at /ra-soat/); thin: the rules are in services and selectors."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.selectors import procedure_get
from dossiers.views.common import page, redirect_after_post, staff_required
from motcua.downloads import generated_attachment
from motcua.errors import DomainError
from regulations import exports, selectors, services
from regulations.forms import (
    AddForm,
    ApproveForm,
    PeriodForm,
    ProposalForm,
    ReasonForm,
    RoundForm,
)
from regulations.models import Provision, ReviewRound
from regulations.states import ACTION_LABELS, MOVES


def _round(request: HttpRequest, pk: int) -> ReviewRound:
    """The round, if the person may read it; a 404 otherwise, like a round that is not there."""
    r = get_object_or_404(ReviewRound.objects.select_related("unit"), pk=pk)
    if not selectors.can_view_round(request.user, r):
        raise Http404(_("Không tìm thấy đợt rà soát."))
    return r


def _provision(request: HttpRequest, pk: int) -> Provision:
    p = selectors.provision_get(pk)
    if p is None or not selectors.can_view_round(request.user, p.round):
        raise Http404(_("Không tìm thấy quy định."))
    return p


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    return _index(request, RoundForm(unit_ids=selectors.reform_unit_ids(request.user)))


def _index(request: HttpRequest, form: RoundForm, *, status: int = 200) -> HttpResponse:
    rounds = [(r, selectors.round_summary(r)) for r in selectors.rounds_visible(request.user)]
    return page(request, "regulations/index.html", {
        "nav": "regulations", "rounds": rounds, "form": form,
        "can_create": bool(selectors.reform_unit_ids(request.user))}, status=status)


@staff_required
@require_POST
def round_create(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST, unit_ids=selectors.reform_unit_ids(request.user))
    if form.is_valid():
        try:
            r = services.round_create(actor=request.user, **form.cleaned_data)
        except DomainError as err:
            form.add_domain_error(err)
        else:
            return redirect_after_post(request, reverse("regulations:round", args=[r.pk]))
    return _index(request, form, status=422)


@staff_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, _round(request, pk), AddForm(initial={"procedure_code":
                                                              request.GET.get("ma", "")}))


def _round_page(request: HttpRequest, r: ReviewRound, form: AddForm, *,
                status: int = 200) -> HttpResponse:
    code = (form.data.get("procedure_code") if form.is_bound
            else form.initial.get("procedure_code")) or ""
    procedure = procedure_get(code.strip()) if code.strip() else None
    rows = []
    for p in selectors.round_provisions(r):
        rows.append({"p": p, "saving": selectors.provision_saving(p),
                     "effect": selectors.provision_effect(p),
                     "feedback": len(selectors.feedback_for_procedure(p.procedure_code))})
    return page(request, "regulations/round.html", {
        "nav": "regulations", "round": r, "rows": rows, "form": form, "procedure": procedure,
        "code": code, "summary": selectors.round_summary(r),
        "can_add": r.status == ReviewRound.Status.OPEN
        and selectors.can_add_provision(request.user, r),
        "can_manage": selectors.can_manage_round(request.user, r),
        "feedback_connected": selectors.feedback_hook_connected()}, status=status)


@staff_required
@require_POST
def provision_add(request: HttpRequest, pk: int) -> HttpResponse:
    r = _round(request, pk)
    _refuse_unless(selectors.can_add_provision(request.user, r))
    form = AddForm(request.POST)
    if form.is_valid():
        kind, element = form.kind_and_element()
        try:
            p = services.provision_add(
                actor=request.user, review_round=r, kind=kind or "legal_text",
                unit=form.cleaned_data["unit"],
                procedure_code=form.cleaned_data["procedure_code"], element_id=element,
                legal_text=form.cleaned_data["legal_text"],
                content=form.cleaned_data["content"])
        except DomainError as err:
            form.add_domain_error(err)
        else:
            return redirect_after_post(request, reverse("regulations:provision", args=[p.pk]))
    return _round_page(request, r, form, status=422)


@staff_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    r = _round(request, pk)
    try:
        services.round_close(actor=request.user, review_round=r)
    except DomainError as err:
        raise PermissionDenied(err.localized_message) from None
    return redirect_after_post(request, reverse("regulations:round", args=[r.pk]))


def _proposal_initial(p: Provision) -> dict:
    keys = ("action", "reason", "hourly_cost", "hours_before", "fees_before", "outside_before",
            "hours_after", "fees_after", "outside_after", "new_time_limit", "new_fee",
            "new_level", "new_text")
    initial = {k: getattr(p, k) for k in keys}
    # Derived (or never valued: 0 with no income year, as services.proposal_save reads it):
    # left empty, so saving the form as shown derives the hour from the per-capita income
    # (Circular 02/2017/TT-VPCP) instead of recording a typed 0.
    if p.hourly_income_year is not None or p.hourly_cost == 0:
        initial["hourly_cost"] = ""
    return initial


@staff_required
def provision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = _provision(request, pk)
    return _provision_page(request, p, {
        "proposal_form": ProposalForm(initial=_proposal_initial(p), provision=p)})


def _provision_page(request: HttpRequest, p: Provision, forms: dict, *,
                    status: int = 200) -> HttpResponse:
    user = request.user
    can_propose = selectors.can_propose(user, p) and p.state == Provision.State.REVIEWING
    can_decide = (selectors.can_manage_round(user, p.round)
                  and p.state == Provision.State.PROPOSED)
    context = {
        "nav": "regulations", "p": p, "saving": selectors.provision_saving(p),
        "hourly": selectors.provision_hourly(p),
        "effect": selectors.provision_effect(p), "in_effect": selectors.provision_in_effect(p),
        "live_count": selectors.yearly_dossiers(p.procedure_code)
        if p.state == Provision.State.REVIEWING else None,
        "events": [(e, ACTION_LABELS.get(e.action, e.action))
                   for e in p.events.select_related("actor")],
        "feedback": selectors.feedback_for_procedure(p.procedure_code, request.user),
        "feedback_connected": selectors.feedback_hook_connected(),
        "can_propose": can_propose, "can_decide": can_decide,
        "approve_form": ApproveForm(), "return_form": ReasonForm(prefix="return"),
        "reject_form": ReasonForm(prefix="reject"),
    }
    context.update(forms)
    return page(request, "regulations/provision.html", context, status=status)


@staff_required
@require_POST
def proposal_save(request: HttpRequest, pk: int) -> HttpResponse:
    p = _provision(request, pk)
    _refuse_unless(selectors.can_propose(request.user, p))
    form = ProposalForm(request.POST, provision=p)
    if form.is_valid():
        try:
            services.proposal_save(actor=request.user, provision=p,
                                   data={k: v for k, v in form.cleaned_data.items()})
            if request.POST.get("send"):
                services.provision_act(actor=request.user, provision=p, action="propose")
        except DomainError as err:
            form.add_domain_error(err)
        else:
            return redirect_after_post(request, reverse("regulations:provision", args=[p.pk]))
    return _provision_page(request, _provision(request, pk), {"proposal_form": form}, status=422)


@staff_required
@require_POST
def provision_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    p = _provision(request, pk)
    move = MOVES.get(action)
    if move is None:
        raise Http404
    _refuse_unless(selectors.can_manage_round(request.user, p.round) if move.who == "reform"
                   else selectors.can_propose(request.user, p))
    if action == "approve":
        form, key, data = ApproveForm(request.POST), "approve_form", None
    elif action in ("return", "reject"):
        form, key = ReasonForm(request.POST, prefix=action), f"{action}_form"
    else:
        raise Http404  # "propose" is sent with the proposal form
    if p.state not in move.sources:
        # Decided meanwhile (another tab, another officer): the page no longer holds this form,
        # so its errors would be out of sight — say why nothing was done instead.
        messages.error(request, _("Quy định đang ở trạng thái “%(state)s”: không còn thực hiện "
                                  "được thao tác “%(action)s”.")
                       % {"state": p.get_state_display(), "action": ACTION_LABELS[action]})
        return _provision_page(request, p, {}, status=409)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.provision_act(actor=request.user, provision=p, action=action,
                                   reason=data.pop("reason", ""), data=data)
        except DomainError as err:
            form.add_domain_error(err)
        else:
            return redirect_after_post(request, reverse("regulations:provision", args=[p.pk]))
    return _provision_page(request, _provision(request, pk), {
        key: form, "proposal_form": ProposalForm(initial=_proposal_initial(p), provision=p)},
        status=422)


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    form = PeriodForm(request.GET)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    start = start or date(today.year, 1, 1)
    end = end or date(today.year, 12, 31)
    return (start, end) if start <= end else (end, start)


@staff_required
def summary(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    return page(request, "regulations/summary.html", {
        "nav": "regulations", "summary": selectors.period_summary(start=start, end=end),
        "readable": selectors.round_ids_openable(request.user),
        "form": PeriodForm(initial={"start": start, "end": end}), "start": start, "end": end})


@staff_required
def summary_xlsx(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    body = exports.summary_xlsx(selectors.period_summary(start=start, end=end))
    return generated_attachment(body, filename=f"ra-soat-quy-dinh-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
                                content_type="application/vnd.openxmlformats-officedocument."
                                             "spreadsheetml.sheet")
