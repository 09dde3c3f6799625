"""The plan pages: list and create plans, the plan's task tree with its roll-up, adding tasks by
hand or from the Excel annex, the template, and the progress report (page, Excel, PDF)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers.views.common import page, redirect_after_post, staff_required
from metrics.periods import KINDS, Period, period_parse
from motcua.errors import DomainError
from motcua.posted import posted
from reform import exports
from reform.forms.plans import ImportForm, PlanForm, TaskForm, domain_error_show
from reform.models import Area, Plan
from reform.rollup import round_percent
from reform.selectors.plans import (
    is_plan_officer,
    officer_unit_ids,
    plan_get,
    plan_rollup,
    plan_tree,
    plans_visible,
    reads_whole_plan,
    tasks_visible,
)
from reform.selectors.report import REPORT_KINDS, plan_report, report_period_ok
from reform.services.plan_import import plan_import_xlsx, template_xlsx
from reform.services.plans import plan_create, task_add
from reform.views.common import XLSX, download, upload_read


@staff_required
def plan_list(request: HttpRequest) -> HttpResponse:
    units = officer_unit_ids(request.user)
    officer = bool(units)
    form = PlanForm(posted(request), units=units) if officer else None
    status = 200
    if request.method == "POST":
        if not officer:
            raise PermissionDenied(_("Chỉ cán bộ cải cách hành chính được tạo kế hoạch."))
        if form.is_valid():
            try:
                plan = plan_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                domain_error_show(form, error)
            else:
                return redirect_after_post(request, reverse("reform:plan", args=[plan.pk]))
        status = 422
    plans = []
    for plan in plans_visible(request.user):
        plans.append({"plan": plan, "progress": round_percent(plan_rollup(plan).plan),
                      "tasks": tasks_visible(request.user, plan).count()})
    return page(request, "reform/plan_list.html", {
        "nav": "reform", "plans": plans, "form": form, "officer": officer}, status=status)


def _plan_page(request: HttpRequest, plan: Plan, *, task_form=None, import_form=None,
               status: int = 200) -> HttpResponse:
    officer = is_plan_officer(request.user, plan)
    roll = plan_rollup(plan)
    whole = reads_whole_plan(request.user, plan)
    blocks = plan_tree(plan, tasks_visible(request.user, plan), roll)
    return page(request, "reform/plan_detail.html", {
        "nav": "reform", "plan": plan, "blocks": blocks, "officer": officer, "whole": whole,
        "plan_progress": round_percent(roll.plan), "today": timezone.localdate(),
        "task_form": task_form or (TaskForm(plan=plan) if officer else None),
        "import_form": import_form or (ImportForm() if officer else None),
        # Each row's link from one reverse (a plan has about a hundred tasks).
        "task_base": reverse("reform:task", args=[0])[:-2],
    }, status=status)


@staff_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, plan_get(user=request.user, pk=pk))


@staff_required
@require_POST
def plan_task_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    form = TaskForm(request.POST, plan=plan)
    if form.is_valid():
        data = form.cleaned_data
        try:
            task_add(actor=request.user, plan=plan, title=data["title"],
                     area=data["area"] or "", lead_unit=data["lead_unit"],
                     parent=data["parent"], number=data["number"],
                     expected_product=data["expected_product"],
                     cooperating_units=list(data["cooperating_units"]),
                     cooperating_other=data["cooperating_other"], deadline=data["deadline"],
                     weight=data["weight"])
        except DomainError as error:
            if error.http_status == 403:
                raise PermissionDenied(error.localized_message) from None
            domain_error_show(form, error)
        else:
            return redirect_after_post(request, reverse("reform:plan", args=[plan.pk]))
    return _plan_page(request, plan, task_form=form, status=422)


@staff_required
@require_POST
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            tasks = plan_import_xlsx(actor=request.user, plan=plan, name=upload.name,
                                     data=upload_read(upload))
        except DomainError as error:
            if error.http_status == 403:
                raise PermissionDenied(error.localized_message) from None
            domain_error_show(form, error)
            return _plan_page(request, plan, import_form=form, status=422)
        from django.contrib import messages

        messages.success(request, _("Đã nhập %(n)s nhiệm vụ từ tệp phụ lục.") % {"n": len(tasks)})
        return redirect_after_post(request, reverse("reform:plan", args=[plan.pk]))
    return _plan_page(request, plan, import_form=form, status=422)


@staff_required
def annex_template(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    return download(template_xlsx(year=year), f"mau-phu-luc-ke-hoach-cchc-{year}.xlsx", XLSX)


def _report(request: HttpRequest, pk: int):
    plan = plan_get(user=request.user, pk=pk)
    if not reads_whole_plan(request.user, plan):
        raise PermissionDenied(_("Báo cáo tiến độ dành cho cán bộ cải cách hành chính và lãnh "
                                 "đạo cơ quan ban hành kế hoạch."))
    today = timezone.localdate()
    params = request.GET.copy()
    params.setdefault("nam", str(plan.year))
    params.setdefault("ky", "quy")
    period = period_parse(params, today)
    if not report_period_ok(period) or period.year != plan.year:
        period = Period("quy", plan.year, (today.month - 1) // 3 + 1
                        if today.year == plan.year else 4)
    return plan, period, today


@staff_required
def plan_report_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan, period, today = _report(request, pk)
    report = plan_report(plan=plan, period=period, today=today)
    choices = [(kind, KINDS[kind]) for kind in REPORT_KINDS]
    return page(request, "reform/plan_report.html", {
        "nav": "reform", "plan": plan, "report": report, "period": period,
        "choices": choices, "areas": Area})


@staff_required
def plan_report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan, period, today = _report(request, pk)
    name = f"bao-cao-cchc-{plan.year}-{period.kind}-{period.number}"
    with translation.override("vi"):
        report = plan_report(plan=plan, period=period, today=today)
        if fmt == "pdf":
            return download(exports.report_pdf(report), f"{name}.pdf", "application/pdf")
        return download(exports.report_xlsx(report), f"{name}.xlsx", XLSX)
