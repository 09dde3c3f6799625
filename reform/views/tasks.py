"""A task's page: its facts, roll-up, history and evidence; the lead unit's forms (progress,
evidence, report done) and the officer's (accept, return, links)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dossiers.views.common import page, redirect_after_post, staff_required
from motcua.errors import DomainError
from motcua.held_files import held_form_files, held_form_keep, held_release
from reform.forms.plans import (
    EvidenceForm,
    LinkForm,
    NoteForm,
    ProgressForm,
    ReturnForm,
    domain_error_show,
)
from reform.models import Task
from reform.rollup import round_percent
from reform.selectors.plans import (
    can_report,
    evidence_get,
    is_plan_officer,
    plan_rollup,
    task_get,
    task_overdue,
    task_parent_openable,
    tasks_visible,
)
from reform.services import plans as plan_services
from reform.services import tasks as services
from reform.services.tasks import OPEN
from reform.views.common import stored_file, upload_read
from regulations.selectors import round_summary

FORMS = {"progress": ProgressForm, "evidence": EvidenceForm, "submit": NoteForm,
         "accept": NoteForm, "return": ReturnForm, "links": LinkForm}


def _forms(task: Task, bound: dict) -> dict:
    forms = {}
    for name, cls in FORMS.items():
        # Several forms share field names (note): each gets its own ids for its labels.
        auto_id = f"{name}-%s"
        if name in bound:
            forms[name] = bound[name]
        elif name == "progress":
            forms[name] = cls(initial={"progress": min(task.progress, 99)}, auto_id=auto_id)
        elif name == "links":
            forms[name] = cls(year=task.plan.year, initial={
                "procedures": ", ".join(task.procedures.values_list("code", flat=True)),
                "directives": list(task.directives.values_list("pk", flat=True)),
                "review_rounds": list(task.review_rounds.values_list("pk", flat=True))},
                auto_id=auto_id)
        else:
            forms[name] = cls(auto_id=auto_id)
    return forms


def _task_page(request: HttpRequest, task: Task, *, bound: dict | None = None,
               status: int = 200) -> HttpResponse:
    officer = is_plan_officer(request.user, task.plan)
    reporter = can_report(request.user, task)
    roll = plan_rollup(task.plan)
    children = tasks_visible(request.user, task.plan).filter(parent=task)
    return page(request, "reform/task_detail.html", {
        "nav": "reform", "task": task, "plan": task.plan, "officer": officer,
        "parent_readable": task_parent_openable(request.user, task),
        "reporter": reporter, "open": task.status in OPEN,
        "progress": round_percent(roll.tasks.get(task.pk, 0)),
        "overdue": task_overdue(task, timezone.localdate()),
        "children": [(c, round_percent(roll.tasks.get(c.pk, 0))) for c in children],
        "events": task.events.select_related("actor").order_by("-at", "-id"),
        "evidence": task.evidence.select_related("added_by", "stored_document"),
        # The review rounds the task delivers, with the register's figures for each (their
        # provisions read in one statement for all of them).
        "review_rounds": [(r, round_summary(r))
                          for r in task.review_rounds.prefetch_related("provisions")],
        "forms": _forms(task, bound or {}),
    }, status=status)


@staff_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_get(user=request.user, pk=pk)
    return _task_page(request, task)


def _act(request: HttpRequest, pk: int, name: str, run) -> HttpResponse:
    """Validate the named form, run the service; on refusal show the page again with the input
    and the message on the field it names."""
    task = task_get(user=request.user, pk=pk)
    extra = {"year": task.plan.year} if name == "links" else {}
    # The evidence's file chosen now, or kept from a try refused for another field.
    files = [n for n, f in FORMS[name].base_fields.items() if isinstance(f, forms.FileField)]
    form = FORMS[name](request.POST, held_form_files(request, *files), auto_id=f"{name}-%s",
                       **extra)
    if form.is_valid():
        try:
            run(task, form.cleaned_data)
        except DomainError as error:
            if error.http_status == 403:
                raise PermissionDenied(error.localized_message) from None
            domain_error_show(form, error)
        else:
            for field in files:
                held_release(request, field)
            return redirect_after_post(request, reverse("reform:task", args=[task.pk]))
    held_form_keep(request, form, *files)
    return _task_page(request, task_get(user=request.user, pk=pk), bound={name: form},
                      status=422)


@staff_required
@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "progress", lambda task, d: services.task_progress_update(
        actor=request.user, task=task, progress=d["progress"], note=d["note"]))


def _evidence(request: HttpRequest, task: Task, d: dict) -> None:
    if d.get("file"):
        services.evidence_add_file(actor=request.user, task=task, title=d["title"],
                                   name=d["file"].name, data=upload_read(d["file"]))
    elif d.get("uid"):
        services.evidence_add_result(actor=request.user, task=task, uid=d["uid"],
                                     title=d["title"])
    else:
        services.evidence_add_url(actor=request.user, task=task, title=d["title"],
                                  url=d["url"])


@staff_required
@require_POST
def task_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "evidence", lambda task, d: _evidence(request, task, d))


@staff_required
@require_POST
def task_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "submit", lambda task, d: services.task_submit(
        actor=request.user, task=task, note=d["note"]))


@staff_required
@require_POST
def task_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "accept", lambda task, d: services.task_accept(
        actor=request.user, task=task, note=d["note"]))


@staff_required
@require_POST
def task_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "return", lambda task, d: services.task_return(
        actor=request.user, task=task, reason=d["reason"]))


@staff_required
@require_POST
def task_links(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "links", lambda task, d: plan_services.task_link(
        actor=request.user, task=task,
        procedure_codes=[c for c in d["procedures"].replace(";", ",").split(",")],
        directive_ids=[x.pk for x in d["directives"]],
        review_round_ids=[x.pk for x in d["review_rounds"]]))


@staff_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = evidence_get(user=request.user, pk=pk)
    if not evidence.file:
        from django.http import Http404

        raise Http404("Minh chứng này không có tệp.")
    return stored_file(evidence.file, evidence.file_name, evidence.content_type)
