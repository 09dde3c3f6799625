"""The filing's and an action's bodies validated by their serializers' fields kept per process
(motcua/body_validation.py, issue #18): a body DRF accepts gives DRF's validated data, key for
key and in its order; every other body goes DRF's way (None), which answers its own errors."""

import json

import pytest
from rest_framework import serializers

from dossiers.serializers import ActionSerializer, DossierCreateSerializer
from dossiers.tests.test_api import act, client_for, create_body
from motcua.body_validation import BodyValidator

_APPLICANT = {"kind": 1, "name": "Trần Thị Bích", "id_number": "056185004321"}

FILINGS = [
    {"variant": 5, "channel": 1, "accept": True, "applicant": _APPLICANT,
     "documents": [{"required_document": 3},
                   {"required_document": None, "name": "  Giấy\u200b  tờ ", "count": 2,
                    "copy_kind": " ban_sao ", "original_seen": True}]},
    {"variant": "5", "channel": "2", "applicant": {"name": "  Lê   Văn  An ", "kind": "2",
                                                   "email": "an@vd.vn", "phone": "0912345678"},
     "summary": "Dòng một\r\n\r\n\r\nDòng hai", "sets_count": 3, "return_method": " bưu điện ",
     "receiving_unit": "000.00.12.H56", "papers": {"applies": [1, "2"],
                                                  "not_applicable": {"3": "không có"},
                                                  "lookups": []}},
    {"variant": 5.0, "channel": 3, "applicant": _APPLICANT, "documents": [], "accept": "true",
     "unknown": "ignored"},
    {"variant": 5, "channel": 1, "applicant": _APPLICANT, "papers": None, "documents": [{}]},
    # Refused by DRF: each goes DRF's way.
    {"variant": 5, "channel": 9, "applicant": _APPLICANT},
    {"variant": 5, "channel": 1, "applicant": {"name": ""}},
    {"variant": 5, "channel": 1, "applicant": "Trần Thị Bích"},
    {"variant": 5, "channel": 1, "applicant": _APPLICANT, "documents": None},
    {"variant": 5, "channel": 1, "applicant": _APPLICANT, "documents": [None]},
    {"variant": 5, "channel": 1, "applicant": _APPLICANT, "documents": [{"count": 0}]},
    {"variant": 5, "channel": 1, "applicant": _APPLICANT, "documents": {"0": {}}},
    {"variant": True, "channel": 1, "applicant": _APPLICANT},
    {"channel": 1, "applicant": _APPLICANT},
    [],
]

ACTIONS = [{}, {"reason": "  Thiếu\u200b giấy tờ  "}, {"data": {"assignee": 3, "x": None}},
           {"data": {"receiver": {"method": "desk"}}, "reason": ""},
           {"data": None}, {"data": []}, {"reason": None}, {"reason": 5}, "x"]


def _same(serializer_class, body) -> None:
    drf = serializer_class(data=json.loads(json.dumps(body)))
    fast = BodyValidator(serializer_class).validated(json.loads(json.dumps(body)))
    if drf.is_valid():
        assert fast is not None
        # The same keys in the same order, the same values and types (a nested object's too).
        assert json.dumps(fast, default=repr) == json.dumps(drf.validated_data, default=repr)
        assert fast == drf.validated_data
    else:
        assert fast is None


@pytest.mark.parametrize("body", FILINGS)
def test_a_filing_s_body_validates_as_drf_validates_it(body):
    _same(DossierCreateSerializer, body)


@pytest.mark.parametrize("body", ACTIONS)
def test_an_action_s_body_validates_as_drf_validates_it(body):
    _same(ActionSerializer, body)


def test_a_serializer_with_its_own_rules_goes_drf_s_way():
    class Checked(serializers.Serializer):
        name = serializers.CharField()

        def validate_name(self, value):
            return value.upper()

    assert BodyValidator(Checked).validated({"name": "a"}) is None


def test_a_form_s_body_goes_drf_s_way():
    from django.http import QueryDict

    assert BodyValidator(ActionSerializer).validated(QueryDict("reason=x")) is None


@pytest.mark.django_db
def test_the_api_validates_a_valid_body_without_a_serializer_for_it(org, monkeypatch):
    built = []
    for cls in (DossierCreateSerializer, ActionSerializer):
        original = cls.__init__

        def counting(self, *args, _original=original, **kwargs):
            if "data" in kwargs:
                built.append(type(self).__name__)
            _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting)
    desk = client_for(org.desk)
    r = desk.post("/api/v1/dossiers/", create_body(org, accept=True), format="json")
    assert r.status_code == 201, r.content
    assert act(desk, r.json()["code"], "forward").status_code == 200
    assert built == []
    # An invalid body is DRF's, with its errors.
    r = desk.post("/api/v1/dossiers/", {"channel": 1}, format="json")
    assert r.status_code == 400
    assert "variant" in r.json()["error"]["fields"]
    assert built == ["DossierCreateSerializer"]


def test_a_hidden_field_goes_drf_s_way():
    class Hidden(serializers.Serializer):
        name = serializers.CharField()
        kind = serializers.HiddenField(default="x")

    assert BodyValidator(Hidden).validated({"name": "a", "kind": "y"}) is None
