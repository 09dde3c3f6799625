"""The dossier journey through the JSON API, its error format and its row-level rule."""

import pytest
from rest_framework.test import APIClient

from accounts.tokens import token_issue
from dossiers.models import Dossier, State
from dossiers.tests.conftest import APPLICANT


def client_for(user) -> APIClient:
    client = APIClient()
    token = token_issue(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def create_body(org, **extra):
    body = {"variant": org.variant.pk, "channel": 1, "applicant": APPLICANT,
            "documents": [{"required_document": org.doc_form.pk, "original_seen": True},
                          {"required_document": org.doc_id.pk}]}
    body.update(extra)
    return body


def act(client, code, action, **body):
    return client.post(f"/api/v1/dossiers/{code}/actions/{action}/", body, format="json")


@pytest.mark.django_db
def test_full_journey_through_the_api(org):
    desk, spec, head = client_for(org.desk), client_for(org.specialist), client_for(org.head)
    r = desk.post("/api/v1/dossiers/", create_body(org), format="json")
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    assert code.startswith("000.00.12.H99-") and code.endswith("-0001")
    assert r.json()["portal_status"] == 1
    assert "accept" in r.json()["allowed_actions"]

    r = act(desk, code, "accept")
    assert r.status_code == 200, r.content
    assert r.json()["portal_status"] == 2 and r.json()["due_at"]
    r = act(desk, code, "forward", data={"assignee": org.specialist.pk})
    assert r.json()["state"] == "processing" and r.json()["current_unit"] == "000.00.15.H99"
    r = act(spec, code, "forward", data={"assignee": org.head.pk})
    assert r.status_code == 200, r.content
    r = act(head, code, "approve")
    assert r.json()["portal_status"] == 9
    r = act(desk, code, "mark_result_ready")
    r = act(desk, code, "return_result")
    # The hand-over is part of the move: without who received it and how, nothing happens.
    assert r.status_code == 400 and r.json()["error"]["fields"]["receiver.method"]
    r = act(desk, code, "return_result",
            data={"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}})
    assert r.json()["portal_status"] == 10
    assert r.json()["portal_status_label"] == "Đã trả kết quả"

    events = desk.get(f"/api/v1/dossiers/{code}/events/").json()
    assert [e["action"] for e in events] == [
        "submit", "accept", "forward", "forward", "approve", "mark_result_ready",
        "return_result"]
    assert events[2]["to_unit"] == "000.00.15.H99"
    assert events[2]["to_user"] == "chuyenvien"


@pytest.mark.django_db
def test_counter_creation_can_accept_in_the_same_call(org):
    r = client_for(org.desk).post("/api/v1/dossiers/", create_body(org, accept=True),
                                  format="json")
    assert r.status_code == 201
    assert r.json()["state"] == "received"
    assert [s["role"] for s in r.json()["steps"]] == [
        "receiving", "specialist", "head", "returning"]


@pytest.mark.django_db
def test_idempotency_key_never_creates_a_second_dossier(org):
    desk = client_for(org.desk)
    first = desk.post("/api/v1/dossiers/", create_body(org), format="json",
                      HTTP_IDEMPOTENCY_KEY="k-123")
    again = desk.post("/api/v1/dossiers/", create_body(org), format="json",
                      HTTP_IDEMPOTENCY_KEY="k-123")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]
    assert Dossier.objects.count() == 1
    other = desk.post("/api/v1/dossiers/", create_body(org, summary="khác"), format="json",
                      HTTP_IDEMPOTENCY_KEY="k-123")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"


@pytest.mark.django_db
@pytest.mark.parametrize("body,field", [
    ({"channel": 1, "applicant": APPLICANT}, "variant"),
    ({"variant": "abc", "channel": 1, "applicant": APPLICANT}, "variant"),
    ({"variant": 1, "channel": 9, "applicant": APPLICANT}, "channel"),
    ({"variant": 1, "channel": 1}, "applicant"),
])
def test_bad_input_is_a_400_naming_the_field(org, body, field):
    r = client_for(org.desk).post("/api/v1/dossiers/", body, format="json")
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "Dữ liệu không hợp lệ."
    assert error["message_en"] == "Invalid input."
    assert field in error["fields"]


@pytest.mark.django_db
def test_domain_errors_use_the_same_format(org):
    desk = client_for(org.desk)
    bad_id = dict(APPLICANT, id_number="12345")
    r = desk.post("/api/v1/dossiers/", create_body(org, applicant=bad_id), format="json")
    assert r.status_code == 400
    assert r.json()["error"]["fields"]["applicant.id_number"] == [
        "Số định danh cá nhân phải gồm đúng 12 chữ số."]
    r = desk.post("/api/v1/dossiers/", create_body(org, documents=[], accept=True),
                  format="json")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "documents_missing"
    assert "Tờ khai yêu cầu" in r.json()["error"]["message"]
    code = desk.post("/api/v1/dossiers/", create_body(org), format="json").json()["code"]
    r = act(desk, code, "refuse", reason="")
    assert r.status_code == 400 and r.json()["error"]["code"] == "reason_required"
    r = act(desk, code, "approve")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    r = act(desk, code, "fly_away")
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_action"
    r = desk.post("/api/v1/dossiers/", "{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "parse_error"


@pytest.mark.django_db
def test_officer_of_another_unit_gets_404(org):
    code = client_for(org.desk).post("/api/v1/dossiers/", create_body(org),
                                     format="json").json()["code"]
    stranger = client_for(org.other_desk)
    for r in (stranger.get(f"/api/v1/dossiers/{code}/"),
              stranger.get(f"/api/v1/dossiers/{code}/events/"),
              act(stranger, code, "accept")):
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"
    assert stranger.get("/api/v1/dossiers/").json()["count"] == 0
    assert Dossier.objects.get(code=code).state == State.SUBMITTED


@pytest.mark.django_db
def test_the_department_sees_a_dossier_once_it_holds_a_step(org):
    desk = client_for(org.desk)
    code = desk.post("/api/v1/dossiers/", create_body(org, accept=True),
                     format="json").json()["code"]
    r = client_for(org.specialist).get(f"/api/v1/dossiers/{code}/")
    assert r.status_code == 200
    assert r.json()["allowed_actions"] == []


@pytest.mark.django_db
def test_anonymous_requests_are_refused_in_the_error_format(org):
    r = APIClient().get("/api/v1/dossiers/")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_token_endpoint_gives_a_token_to_staff(org):
    r = APIClient().post("/api/v1/auth/token/", {"username": "tiepnhan",
                                                  "password": "x-Test-2026"})
    assert r.status_code == 200 and len(r.json()["token"]) == 40
