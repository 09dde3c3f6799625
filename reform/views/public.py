"""The public page of a plan's progress: areas, tasks, lead agencies, deadlines and progress.

No personal data: no officer's name, no note, no evidence file; only agencies and figures.
A draft plan is not shown (reform.models.Plan.draft).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from reform.models import Plan, Task
from reform.rollup import round_percent
from reform.selectors.plans import plan_rollup, plan_tree
from reform.selectors.report import CLASS_LABELS, task_class


def public_plans(request: HttpRequest) -> HttpResponse:
    plans = [{"plan": p, "progress": round_percent(plan_rollup(p).plan)}
             for p in Plan.objects.filter(draft=False).select_related("unit")]
    return render(request, "reform/public_list.html", {"plans": plans, "nav": "public_plans"})


def public_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = Plan.objects.select_related("unit").filter(pk=pk, draft=False).first()
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch.")
    roll = plan_rollup(plan)
    today = timezone.localdate()
    blocks = plan_tree(plan, Task.objects.filter(plan=plan).select_related("lead_unit", "plan"),
                       roll)
    for block in blocks:
        for row in block.rows:
            row.klass = CLASS_LABELS[task_class(row.task, today)]
    return render(request, "reform/public_plan.html", {
        "plan": plan, "blocks": blocks, "progress": round_percent(roll.plan), "today": today})
