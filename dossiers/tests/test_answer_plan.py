"""An answer built by FieldsReused's plan (motcua/serializers.py, issue #18) is DRF's answer byte
for byte: the action's answer, the procedure's page, and the fields the plan hands back to DRF
(a method found on the way, an empty link with its default, a field left out).

DRF's own answer is `serializers.Serializer.to_representation` called on the same serializer:
the path every answer took before the plan.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from catalog.models import Procedure
from catalog.serializers import ProcedureDetailSerializer, ProcedureSerializer
from dossiers import selectors
from dossiers.models import Dossier, DossierEvent
from dossiers.serializers import DossierDetailSerializer
from dossiers.tests.test_api import act, client_for, create_body
from motcua.serializers import FieldsReused, ModelSerializer


def _drf(serializer_class, instance, **context) -> bytes:
    """What DRF itself answers for `instance`, rendered as the API renders it."""
    serializer = serializer_class(instance, context=context)
    return JSONRenderer().render(serializers.Serializer.to_representation(serializer, instance))


@pytest.mark.django_db
def test_the_action_answer_is_drfs_answer_byte_for_byte(org):
    desk = client_for(org.desk)
    r = desk.post("/api/v1/dossiers/", create_body(org, accept=True, summary="Cấp lại bản sao"),
                  format="json")
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    r = act(desk, code, "forward", data={"assignee": org.specialist.pk})
    assert r.status_code == 200, r.content
    dossier = Dossier.objects.get(code=code)
    # A dossier with steps (one assigned, the others not), papers and events, dates and a limit.
    assert DossierEvent.objects.filter(dossier=dossier).count() >= 2
    answer = r.json()
    assert len(answer["documents"]) == 2 and len(answer["steps"]) >= 2
    assert {s["assignee"] for s in answer["steps"]} >= {None, org.specialist.username}
    assert answer["received_at"] and answer["due_at"] and answer["limit_amount"]

    request = SimpleNamespace(user=org.desk)
    afresh = selectors.dossier_get(user=org.desk, code=code)
    assert r.content == _drf(DossierDetailSerializer, afresh, request=request)
    # The plan on a dossier read afresh answers the same again (its fields reused).
    planned = DossierDetailSerializer(afresh, context={"request": request}).data
    assert JSONRenderer().render(planned) == r.content


@pytest.mark.django_db
def test_the_procedure_page_is_drfs_answer_byte_for_byte(org):
    procedure = Procedure.objects.get(pk=org.variant.procedure_id)
    r = client_for(org.desk).get(f"/api/v1/procedures/{procedure.code}/")
    assert r.status_code == 200, r.content
    assert r.json()["variants"], "a page with its variants, their papers and steps"
    assert r.content == _drf(ProcedureDetailSerializer, procedure)
    assert (JSONRenderer().render(ProcedureSerializer(procedure).data)
            == _drf(ProcedureSerializer, procedure))


class _Handed(FieldsReused, ModelSerializer):
    """Fields the plan cannot take as they are and hands to DRF."""

    shown = serializers.CharField(source="__str__")  # a method: DRF calls it
    assignee = serializers.CharField(source="current_step.assignee.username", allow_null=True,
                                     default=None)  # an empty link: its default
    absent = serializers.CharField(source="no_such_attribute", required=False)  # left out
    steps_count = serializers.SerializerMethodField()
    due_text = serializers.DateTimeField(source="due_at", format="%d/%m/%Y %H:%M")  # its format

    class Meta:
        model = Dossier
        fields = ["code", "shown", "received_at", "assignee", "absent", "current_step", "variant",
                  "limit_amount", "due_at", "paused_at", "steps_count", "due_text"]

    def get_steps_count(self, obj: Dossier) -> int:
        return obj.steps.count()


@pytest.mark.django_db
def test_the_fields_handed_to_drf_answer_as_drf_does(org):
    desk = client_for(org.desk)
    waiting = desk.post("/api/v1/dossiers/", create_body(org), format="json").json()["code"]
    received = desk.post("/api/v1/dossiers/", create_body(org, accept=True),
                         format="json").json()["code"]
    assert act(desk, received, "forward", data={"assignee": org.specialist.pk}).status_code == 200
    for code in (waiting, received):
        dossier = Dossier.objects.get(code=code)
        answer = _Handed(dossier).data
        assert "absent" not in answer and answer["shown"] == str(dossier)
        assert JSONRenderer().render(answer) == _drf(_Handed, dossier)
        # In UTC DRF writes "Z" for "+00:00"; the plan too.
        with timezone.override(dt.UTC):
            answer = JSONRenderer().render(_Handed(dossier).data)
            assert answer == _drf(_Handed, dossier)
            assert b'Z"' in answer or dossier.received_at is None
    assert _Handed(Dossier.objects.get(code=waiting)).data["assignee"] is None
    assert _Handed(Dossier.objects.get(code=received)).data["assignee"] == org.specialist.username


def test_a_request_serializers_dict_field_is_copied_with_its_child_not_rebuilt(monkeypatch):
    """An action's body (`ActionSerializer`, BuiltOnce): each request's `data` field is a copy
    whose child points at it, made without running the fields' `__init__` again (a deep copy
    did, issue #18); it validates as DRF's own field does, and the class's field is untouched."""
    from dossiers.serializers import ActionSerializer

    ActionSerializer(data={}).is_valid()  # the class's fields built once
    template = ActionSerializer._fields_built["data"]
    made: list[type] = []
    real = serializers.Field.__init__

    def counted(self, *args, **kwargs):
        if not isinstance(self, serializers.BaseSerializer):
            made.append(type(self))
        real(self, *args, **kwargs)

    monkeypatch.setattr(serializers.Field, "__init__", counted)
    first, second = (ActionSerializer(data={"reason": "x", "data": {"a": [1, {"b": 2}]}})
                     for _ in range(2))
    assert first.is_valid() and second.is_valid()
    assert made == []
    assert first.validated_data == {"reason": "x", "data": {"a": [1, {"b": 2}]}}
    mine = first.fields["data"]
    assert mine is not template and mine is not second.fields["data"]
    assert mine.child.parent is mine and mine.child is not template.child
    assert template.child.parent is template
    refused = ActionSerializer(data={"data": ["not", "a", "dict"]})
    assert not refused.is_valid() and "data" in refused.errors


def test_a_request_serializers_plain_fields_are_copied_directly(monkeypatch):
    """A BuiltOnce serializer's plain field is copied for each request as `copy.copy` copies it
    (its class and attributes), without going through `copy.copy`'s generic path (issue #18:
    a filing copies twenty); the class's fields stay untouched and each request has its own."""
    import copy
    import types

    import motcua.serializers as ms
    from dossiers.serializers import ActionSerializer

    ActionSerializer(data={}).is_valid()
    template = ActionSerializer._fields_built
    copied = []
    monkeypatch.setattr(ms, "copy", types.SimpleNamespace(
        copy=lambda x: copied.append(x) or copy.copy(x), deepcopy=copy.deepcopy))
    first, second = (ActionSerializer(data={"reason": "x"}) for _ in range(2))
    assert first.is_valid() and second.is_valid()
    assert copied == []
    for name, field in template.items():
        mine = first.fields[name]
        assert type(mine) is type(field) and mine is not field
        assert mine is not second.fields[name] and mine.parent is first
        assert field.parent is not first
        assert mine._kwargs == field._kwargs and mine.required == field.required


class _OnTheWay(FieldsReused, ModelSerializer):
    """Links the plan answers itself: a source meeting None before its last attribute, a key."""

    officer = serializers.CharField(source="current_step.assignee.username", allow_null=True,
                                    read_only=True)  # null
    officer_name = serializers.CharField(source="current_step.assignee.full_name",
                                         read_only=True)  # left out

    class Meta:
        model = Dossier
        fields = ["code", "officer", "officer_name", "variant", "current_step"]


@pytest.mark.django_db
def test_links_empty_on_the_way_and_keys_answer_as_drf_does_without_drfs_walk(org, monkeypatch):
    """A step with no officer (`assignee.username`, every answer's unassigned steps) is null or
    left out as the field's settings say, and a key is its column, both read by the plan
    without handing the field to DRF or asking the model for the field (issue #18)."""
    import motcua.serializers as ms

    desk = client_for(org.desk)
    waiting = desk.post("/api/v1/dossiers/", create_body(org), format="json").json()["code"]
    received = desk.post("/api/v1/dossiers/", create_body(org, accept=True),
                         format="json").json()["code"]
    assert act(desk, received, "forward", data={"assignee": org.specialist.pk}).status_code == 200
    dossiers = [Dossier.objects.get(code=code) for code in (waiting, received)]
    assert _OnTheWay(dossiers[0]).data  # the plan made, the keys' columns known
    handed, asked = [], []
    monkeypatch.setattr(ms, "_generic", lambda *a: handed.append(a[3]))
    monkeypatch.setattr(Dossier, "serializable_value",
                        lambda self, name: asked.append(name))
    answers = [_OnTheWay(d).data for d in dossiers]
    assert handed == [] and asked == []
    monkeypatch.undo()
    assert answers[0] == {"code": waiting, "officer": None, "variant": org.variant.pk,
                          "current_step": None}
    assert answers[1]["officer"] == org.specialist.username
    assert answers[1]["officer_name"] == org.specialist.full_name
    for dossier, answer in zip(dossiers, answers, strict=True):
        assert JSONRenderer().render(answer) == _drf(_OnTheWay, dossier)


@pytest.mark.django_db
def test_a_step_with_no_officer_answers_its_default_without_drf(org, monkeypatch):
    """The answer's `assignee` (`assignee.username`, default None) of a step no officer holds
    is null, answered by the plan instead of DRF's `get_attribute` and `get_default` (three of
    an action's four steps, issue #18); a partial answer, where DRF leaves the key out, goes
    DRF's own way."""
    import motcua.serializers as ms

    desk = client_for(org.desk)
    code = desk.post("/api/v1/dossiers/", create_body(org, accept=True),
                     format="json").json()["code"]
    assert act(desk, code, "forward").status_code == 200
    request = SimpleNamespace(user=org.desk)
    dossier = selectors.dossier_get(user=org.desk, code=code)
    assert DossierDetailSerializer(dossier, context={"request": request}).data  # the plan made
    handed = []
    real = ms._generic
    monkeypatch.setattr(ms, "_generic", lambda *a: handed.append(a[3]) or real(*a))
    answer = DossierDetailSerializer(dossier, context={"request": request}).data
    assert handed == []
    assert None in [s["assignee"] for s in answer["steps"]]
    assert JSONRenderer().render(answer) == _drf(DossierDetailSerializer, dossier,
                                                 request=request)
    partial = DossierDetailSerializer(dossier, context={"request": request}, partial=True)
    drf = serializers.Serializer.to_representation(
        DossierDetailSerializer(dossier, context={"request": request}, partial=True), dossier)
    assert partial.data == drf
    assert any("assignee" not in s for s in drf["steps"])


@pytest.mark.django_db
def test_an_answers_plan_is_written_once_then_run(org, monkeypatch):
    """The plan of an answer's fields is written once as one function a serializer's fields
    (the dossier's, its steps', its papers'), and later answers run it as it is (issue #18);
    what it answers is DRF's answer."""
    import motcua.serializers as ms

    desk = client_for(org.desk)
    code = desk.post("/api/v1/dossiers/", create_body(org, accept=True),
                     format="json").json()["code"]
    request = SimpleNamespace(user=org.desk)
    dossier = selectors.dossier_get(user=org.desk, code=code)
    monkeypatch.setattr(ms, "_RUNS", {})
    monkeypatch.setattr(ms._answers, "fields", {})
    written = []
    real = ms._written
    monkeypatch.setattr(ms, "_written", lambda plan: written.append(plan) or real(plan))
    first = DossierDetailSerializer(dossier, context={"request": request}).data
    assert len(written) == 3
    again = DossierDetailSerializer(dossier, context={"request": request}).data
    assert len(written) == 3 and again == first
    assert JSONRenderer().render(again) == _drf(DossierDetailSerializer, dossier,
                                                request=request)
