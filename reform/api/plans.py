"""JSON API of the yearly plan and the directive register under /api/v1/reform/.

The same rules as the pages: the officer reads every plan, a leader of the issuing unit reads
its plan, a unit reads and reports on its own tasks; another unit's task is a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.errors import DomainError
from reform.models import Area, Directive, Evidence, Plan, Task, TaskEvent
from reform.rollup import round_percent
from reform.selectors.plans import plan_get, plan_rollup, plans_visible, task_get, tasks_visible
from reform.services import tasks as services
from reform.services.directives import directive_create
from reform.services.plans import officer_check, plan_create, task_add


class PlanSerializer(serializers.ModelSerializer):
    # Declared: a model's small integer would give a different schema maximum per database.
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    unit = serializers.CharField(source="unit.name")
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = ["id", "year", "title", "decision_number", "decision_date", "unit", "progress"]

    def get_progress(self, plan: Plan) -> float:
        return float(round_percent(plan_rollup(plan).plan))


class AreaProgressSerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=Area.choices)
    label = serializers.CharField()
    progress = serializers.FloatField()


class PlanDetailSerializer(PlanSerializer):
    areas = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = PlanSerializer.Meta.fields + ["areas"]

    @extend_schema(responses=AreaProgressSerializer(many=True))
    def get_areas(self, plan: Plan) -> list[dict]:
        roll = plan_rollup(plan)
        return [{"area": a.value, "label": str(a.label),
                 "progress": float(round_percent(roll.areas.get(a.value, 0)))} for a in Area]


class TaskSerializer(serializers.ModelSerializer):
    lead_unit = serializers.CharField(source="lead_unit.code")
    lead_unit_name = serializers.CharField(source="lead_unit.name")
    due = serializers.DateField()

    class Meta:
        model = Task
        fields = ["id", "plan", "parent", "number", "area", "title", "expected_product",
                  "lead_unit", "lead_unit_name", "deadline", "due", "weight", "status",
                  "progress", "done_on"]


class TaskEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name")
    progress = serializers.IntegerField(min_value=0, max_value=100, read_only=True)

    class Meta:
        model = TaskEvent
        fields = ["at", "kind", "actor", "status_from", "status_to", "progress", "note"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "kind", "title", "file_name", "url", "added_at"]


class TaskDetailSerializer(TaskSerializer):
    events = TaskEventSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    procedures = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    directives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    review_rounds = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True,
        help_text="Các đợt rà soát quy định (/api/v1/regulation-rounds/) nhiệm vụ giao thực hiện.")

    class Meta(TaskSerializer.Meta):
        fields = TaskSerializer.Meta.fields + ["procedures", "directives", "review_rounds",
                                               "events", "evidence"]


class ProgressSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=99)
    note = serializers.CharField(max_length=4000)


class EvidenceLinkSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    url = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    uid = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                help_text="Mã văn bản đã ký số của đơn vị chủ trì (results/).")

    def validate(self, data):
        if bool(data.get("url")) == bool(data.get("uid")):
            raise serializers.ValidationError("Gửi đúng một trong hai: url hoặc uid.")
        return data


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class DoneSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, help_text="Nội dung đã thực hiện.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class DirectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Directive
        fields = ["id", "number", "date", "issuer", "kind", "summary", "file_name"]
        read_only_fields = ["id", "file_name"]


class PlanCreateSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=40, help_text="Mã định danh của cơ quan ban hành.")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=500)
    decision_number = serializers.CharField(max_length=60)
    decision_date = serializers.DateField()


class TaskCreateSerializer(serializers.Serializer):
    parent = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                   help_text="Số thứ tự của nhiệm vụ cha trong kế hoạch.")
    area = serializers.ChoiceField(choices=Area.choices, required=False, allow_blank=True)
    number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    title = serializers.CharField(max_length=1000)
    expected_product = serializers.CharField(max_length=500, required=False, allow_blank=True)
    lead_unit = serializers.CharField(max_length=40, help_text="Mã định danh đơn vị chủ trì.")
    deadline = serializers.DateField(required=False, allow_null=True)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal("0.01"),
                                      required=False, default=Decimal(1))


def _unit(code: str, field: str):
    from reform.selectors.units import unit_by_code

    unit = unit_by_code(code)
    if unit is None:
        raise DomainError("invalid", f"Không có đơn vị mã “{code}”.", f"No unit '{code}'.",
                          fields={field: [f"Không có đơn vị mã “{code}”."]})
    return unit


class PlanListApi(ListAPIView):
    """The plans the caller may read, with their overall progress; the officer creates one."""

    serializer_class = PlanSerializer

    def get_queryset(self):
        return plans_visible(self.request.user).order_by("-year", "id")

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanDetailSerializer})
    def post(self, request):
        body = PlanCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        d["unit"] = _unit(d["unit"], "unit")
        plan = plan_create(actor=request.user, **d)
        return Response(PlanDetailSerializer(plan).data, status=201)


class PlanDetailApi(APIView):
    @extend_schema(responses=PlanDetailSerializer)
    def get(self, request, pk: int):
        return Response(PlanDetailSerializer(plan_get(user=request.user, pk=pk)).data)


class PlanTasksApi(ListAPIView):
    """The plan's tasks the caller may see (a unit: its own)."""

    serializer_class = TaskSerializer

    def get_queryset(self):
        plan = plan_get(user=self.request.user, pk=self.kwargs["pk"])
        return tasks_visible(self.request.user, plan).order_by("position", "id")

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    def post(self, request, pk: int):
        """The officer adds a task (or a sub-task, by its parent's number)."""
        plan = plan_get(user=request.user, pk=pk)
        # The role before the body: one who may not add a task hears so, not what to fill in.
        officer_check(request.user, plan)
        body = TaskCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        parent = None
        if d.get("parent"):
            parent = Task.objects.filter(plan=plan, number=d["parent"].strip()).first()
            if parent is None:
                raise DomainError("invalid", "Kế hoạch không có nhiệm vụ cha này.",
                                  "The plan has no such parent task.",
                                  fields={"parent": ["Kế hoạch không có nhiệm vụ cha này."]})
        task = task_add(actor=request.user, plan=plan, title=d["title"], area=d.get("area", ""),
                        lead_unit=_unit(d["lead_unit"], "lead_unit"), parent=parent,
                        number=d.get("number", ""),
                        expected_product=d.get("expected_product", ""),
                        deadline=d.get("deadline"), weight=d["weight"])
        return Response(TaskSerializer(task).data, status=201)


def _task_answer(request, pk: int) -> Response:
    task = task_get(user=request.user, pk=pk)
    return Response(TaskDetailSerializer(task).data)


class TaskDetailApi(APIView):
    @extend_schema(responses=TaskDetailSerializer)
    def get(self, request, pk: int):
        return _task_answer(request, pk)


def _evidence_link(actor, task: Task, d: dict) -> None:
    if d.get("url"):
        services.evidence_add_url(actor=actor, task=task, title=d.get("title", ""), url=d["url"])
    else:
        services.evidence_add_result(actor=actor, task=task, uid=d["uid"],
                                     title=d.get("title", ""))


@dataclass(frozen=True)
class TaskAction:
    """One thing a user does to a task through the API: what it takes, what it runs, and the
    sentence the schema shows. Every action answers the task's detail."""

    doc: str
    body: type[serializers.Serializer]
    run: Callable[[Any, Task, dict], object]


TASK_ACTIONS: dict[str, TaskAction] = {
    "progress": TaskAction(
        "The lead unit reports progress (0–99 %) with a note.", ProgressSerializer,
        lambda actor, task, d: services.task_progress_update(actor=actor, task=task, **d)),
    "evidence": TaskAction(
        "The lead unit links evidence: a URL or a document it signed in results/.",
        EvidenceLinkSerializer, _evidence_link),
    "submit": TaskAction(
        "The lead unit reports the task done (it needs evidence).", DoneSerializer,
        lambda actor, task, d: services.task_submit(actor=actor, task=task, note=d["note"])),
    "accept": TaskAction(
        "The officer accepts a task reported done.", NoteSerializer,
        lambda actor, task, d: services.task_accept(actor=actor, task=task,
                                                    note=d.get("note", ""))),
    "return": TaskAction(
        "The officer returns a task reported done, with the reason.", ReasonSerializer,
        lambda actor, task, d: services.task_return(actor=actor, task=task,
                                                    reason=d["reason"])),
}


class TaskActionSchema(AutoSchema):
    """The schema of one route of TaskActionApi: its action's body and sentence."""

    def get_description(self) -> str:
        return self.view.task_action.doc

    def get_request_serializer(self):
        return self.view.task_action.body

    def get_response_serializers(self):
        return TaskDetailSerializer


class TaskActionApi(APIView):
    """POST to a task's action route (`as_view(task_action=TASK_ACTIONS[...])`): the body is
    checked by the action's serializer, the action runs through the services (their rules and
    their event row), and the answer is the task as it now is."""

    task_action: TaskAction | None = None
    schema = TaskActionSchema()

    def post(self, request, pk: int):
        task = task_get(user=request.user, pk=pk)
        body = self.task_action.body(data=request.data)
        body.is_valid(raise_exception=True)
        self.task_action.run(request.user, task, body.validated_data)
        return _task_answer(request, pk)


class DirectiveListApi(ListAPIView):
    """The register of directive documents (GET: any staff member; POST: the officer)."""

    serializer_class = DirectiveSerializer

    def get_queryset(self):
        from accounts.selectors import user_is_staff_member

        if not user_is_staff_member(self.request.user):
            return Directive.objects.none()
        rows = Directive.objects.order_by("-date", "-id")
        year = self.request.query_params.get("nam", "")
        if year.isascii() and year.isdigit() and len(year) == 4:
            return rows.filter(date__year=int(year))
        return rows

    @extend_schema(request=DirectiveSerializer, responses={201: DirectiveSerializer})
    def post(self, request):
        officer_check(request.user)  # the role before the body, as for a plan's task
        body = DirectiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        directive = directive_create(actor=request.user, number=d["number"],
                                     date_issued=d["date"], issuer=d["issuer"], kind=d["kind"],
                                     summary=d["summary"])
        return Response(DirectiveSerializer(directive).data, status=201)

