"""The feedback API: send without an account, follow with code + factor, staff actions with
field-named errors, public answers without sender data, statistics."""

from rest_framework.test import APIClient

from feedback.models import State

BODY = {"title": "Lệ phí thu sai", "content": "Thu lệ phí cao hơn mức công bố.",
        "sender_name": "Đỗ Minh Tâm", "sender_phone": "0903111222",
        "sender_email": "tam@example.vn", "publish_consent": True}


def _api(user=None):
    c = APIClient()
    if user:
        c.force_authenticate(user)
    return c


def test_send_follow_act_publish_rate(pakn):
    r = _api().post("/api/v1/feedback/", {**BODY, "unit": pakn.centre.code}, format="json")
    assert r.status_code == 201, r.json()
    code, secret = r.json()["code"], r.json()["secret"]
    assert _api().post("/api/v1/feedback/lookup/", {"code": code, "factor": "WRONG123"},
                       format="json").status_code == 404
    status = _api().post("/api/v1/feedback/lookup/", {"code": code, "factor": secret},
                         format="json").json()
    assert status["state"] == State.RECEIVED and "sender_name" not in status
    receiver = _api(pakn.receiver)
    r = receiver.post(f"/api/v1/feedback/items/{code}/actions/accept/", {}, format="json")
    assert r.status_code == 400 and "kind" in r.json()["error"]["fields"]
    r = receiver.post(f"/api/v1/feedback/items/{code}/actions/accept/", {"kind": "within"},
                      format="json")
    assert r.status_code == 200 and r.json()["state"] == State.ACCEPTED
    r = receiver.post(f"/api/v1/feedback/items/{code}/actions/assign/",
                      {"assignee": pakn.receiver.username}, format="json")
    assert r.status_code == 200
    receiver.post(f"/api/v1/feedback/items/{code}/actions/draft/",
                  {"answer": "Đã hoàn trả phần thu thừa."}, format="json")
    # The wrong state is a 409; the wrong role a 403.
    assert receiver.post(f"/api/v1/feedback/items/{code}/actions/publish/", {},
                         format="json").status_code == 409
    assert receiver.post(f"/api/v1/feedback/items/{code}/actions/approve/", {},
                         format="json").status_code == 403
    head = _api(pakn.receiver_head)
    assert head.post(f"/api/v1/feedback/items/{code}/actions/approve/", {},
                     format="json").status_code == 200
    assert head.post(f"/api/v1/feedback/items/{code}/actions/publish/", {},
                     format="json").status_code == 200
    answers = _api().get("/api/v1/feedback/answers/", {"q": "le phi"}).json()
    from feedback.models import Feedback

    assert [a["ref"] for a in answers] == [Feedback.objects.get(code=code).public_ref]
    assert code not in str(answers)  # the public name is not the lookup's code
    assert "0903111222" not in str(answers) and "Đỗ Minh Tâm" not in str(answers)
    r = _api().post("/api/v1/feedback/rate/", {"code": code, "factor": "1222",
                                               "rating": "satisfied"}, format="json")
    assert r.status_code == 200 and r.json()["rating"] == "satisfied"
    stats = head.get("/api/v1/feedback/statistics/", {"by": "kind",
                                                      "from": "2020-01-01",
                                                      "to": "2099-12-31"}).json()
    assert stats["total"]["answered"] == 1 and stats["total"]["on_time_rate"] == "100.00"


def test_staff_endpoints_refuse_others(pakn):
    code = _api().post("/api/v1/feedback/", {**BODY, "unit": pakn.centre.code},
                       format="json").json()["code"]
    assert _api().get("/api/v1/feedback/items/").status_code in (401, 403)
    assert _api(pakn.citizen).get("/api/v1/feedback/items/").status_code == 403
    assert _api(pakn.outsider).get(f"/api/v1/feedback/items/{code}/").status_code == 404
    listing = _api(pakn.outsider).get("/api/v1/feedback/items/").json()
    assert listing["results"] == []


def test_send_names_the_missing_field(pakn):
    r = _api().post("/api/v1/feedback/", {**BODY, "sender_phone": "", "sender_email": ""},
                    format="json")
    assert r.status_code == 400 and "sender_phone" in r.json()["error"]["fields"]
