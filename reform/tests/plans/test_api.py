"""reform/api/plans.py: the plan through the API, with the pages' rules."""

from rest_framework.test import APIClient

from reform.models import Task


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_a_unit_lists_and_reports_only_its_own_tasks(world):
    c = api(world.justice_staff)
    plans = c.get("/api/v1/reform/plans/").json()["results"]
    assert [p["id"] for p in plans] == [world.plan.pk]
    tasks = c.get(f"/api/v1/reform/plans/{world.plan.pk}/tasks/").json()["results"]
    assert [t["id"] for t in tasks] == [world.justice_task.pk]
    assert c.get(f"/api/v1/reform/tasks/{world.finance_task.pk}/").status_code == 404
    r = c.post(f"/api/v1/reform/tasks/{world.finance_task.pk}/progress/",
               {"progress": 10, "note": "x"}, format="json")
    assert r.status_code == 404
    r = c.post(f"/api/v1/reform/tasks/{world.justice_task.pk}/progress/",
               {"progress": 120, "note": "x"}, format="json")
    assert r.status_code == 400 and "progress" in r.json()["error"]["fields"]
    r = c.post(f"/api/v1/reform/tasks/{world.justice_task.pk}/progress/",
               {"progress": 45, "note": "Đã rà soát"}, format="json")
    assert r.status_code == 200 and r.json()["progress"] == 45
    assert r.json()["events"][-1]["note"] == "Đã rà soát"


def test_evidence_submit_accept_and_return_through_the_api(world):
    c = api(world.justice_staff)
    base = f"/api/v1/reform/tasks/{world.justice_task.pk}/"
    r = c.post(base + "submit/", {"note": "Xong"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["fields"] == {
        "evidence": ["Chưa có minh chứng."]}
    r = c.post(base + "evidence/", {"title": "Tin", "url": "https://tuphap.example.vn/1"},
               format="json")
    assert r.status_code == 200 and r.json()["evidence"][0]["kind"] == "url"
    r = c.post(base + "evidence/", {"uid": "00000000-0000-0000-0000-000000000000"},
               format="json")
    assert r.status_code == 400 and "uid" in r.json()["error"]["fields"]
    assert c.post(base + "submit/", {"note": "Xong"}, format="json").status_code == 200
    assert c.post(base + "accept/", {}, format="json").status_code == 403
    officer = api(world.officer)
    r = officer.post(base + "return/", {"reason": "Chưa đủ"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "returned"
    c.post(base + "submit/", {"note": "Bổ sung"}, format="json")
    r = officer.post(base + "accept/", {"note": "Đạt"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == Task.Status.ACCEPTED
    assert officer.post(base + "accept/", {}, format="json").status_code == 409
    plan = officer.get(f"/api/v1/reform/plans/{world.plan.pk}/").json()
    assert plan["progress"] == 50.0
    assert {a["area"]: a["progress"] for a in plan["areas"]}["procedures"] == 100.0


def test_the_directive_register_through_the_api(world):
    body = {"number": "02/CT-UBND", "date": "2026-03-01", "issuer": "UBND tỉnh",
            "kind": "directive", "summary": "Tăng cường kỷ luật hành chính"}
    assert api(world.justice_staff).post("/api/v1/reform/directives/", body,
                                         format="json").status_code == 403
    r = api(world.officer).post("/api/v1/reform/directives/", body, format="json")
    assert r.status_code == 201
    rows = api(world.justice_staff).get("/api/v1/reform/directives/?nam=2026").json()
    assert [d["number"] for d in rows["results"]] == ["02/CT-UBND"]
    r = api(world.officer).post("/api/v1/reform/directives/", {**body, "kind": "x"},
                                format="json")
    assert r.status_code == 400 and "kind" in r.json()["error"]["fields"]


def test_the_officer_creates_a_plan_and_its_tasks_through_the_api(world):
    officer = api(world.officer)
    body = {"unit": world.province.code, "year": 2027, "title": "Kế hoạch CCHC 2027",
            "decision_number": "5/QĐ-UBND", "decision_date": "2026-12-28"}
    assert api(world.justice_head).post("/api/v1/reform/plans/", body,
                                        format="json").status_code == 403
    r = officer.post("/api/v1/reform/plans/", {**body, "unit": "9.9.9"}, format="json")
    assert r.status_code == 400 and "unit" in r.json()["error"]["fields"]
    r = officer.post("/api/v1/reform/plans/", body, format="json")
    assert r.status_code == 201
    plan = r.json()["id"]
    assert officer.post("/api/v1/reform/plans/", body, format="json").status_code == 400
    tasks = f"/api/v1/reform/plans/{plan}/tasks/"
    r = officer.post(tasks, {"title": "Số hóa", "area": "digital", "number": "1",
                             "lead_unit": world.justice.code, "weight": "2"}, format="json")
    assert r.status_code == 201 and r.json()["weight"] == "2.00"
    r = officer.post(tasks, {"title": "Con", "parent": "7", "lead_unit": world.justice.code},
                     format="json")
    assert r.status_code == 400 and "parent" in r.json()["error"]["fields"]
    r = officer.post(tasks, {"title": "Con", "parent": "1", "number": "1.1",
                             "lead_unit": world.finance.code}, format="json")
    assert r.status_code == 201 and r.json()["area"] == "digital"
    # A unit cannot add tasks, even to a plan it sees.
    assert api(world.justice_staff).post(tasks, {"title": "X", "area": "digital",
                                                 "lead_unit": world.justice.code},
                                         format="json").status_code == 403


def test_each_task_action_route_checks_and_documents_its_own_body(world):
    """One view class serves the five action routes: each takes its own action's body."""
    from drf_spectacular.generators import SchemaGenerator

    from reform.api.plans import TASK_ACTIONS

    c = api(world.justice_staff)
    base = f"/api/v1/reform/tasks/{world.justice_task.pk}/"
    assert c.post(base + "progress/", {}, format="json").json()["error"]["fields"].keys() == {
        "progress", "note"}
    assert "note" in c.post(base + "submit/", {}, format="json").json()["error"]["fields"]
    officer = api(world.officer)
    assert "reason" in officer.post(base + "return/", {}, format="json").json()["error"][
        "fields"]
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    expected = {"progress": "ProgressRequest", "evidence": "EvidenceLinkRequest",
                "submit": "DoneRequest", "accept": "NoteRequest", "return": "ReasonRequest"}
    assert set(TASK_ACTIONS) == set(expected)
    for name, component in expected.items():
        op = paths[f"/api/v1/reform/tasks/{{id}}/{name}/"]["post"]
        assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"] == (
            f"#/components/schemas/{component}")
        assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == (
            "#/components/schemas/TaskDetail")
        assert op["description"] == TASK_ACTIONS[name].doc


def test_one_who_may_not_create_hears_so_before_what_to_fill_in(world):
    """A body the role may not send at all answers 403 whatever it holds — empty, or missing
    its fields — not 400 listing the fields to fill (the role before the body); the officer's
    empty body still gets the fields."""
    staff = api(world.justice_staff)
    for url in ("/api/v1/reform/directives/", f"/api/v1/reform/plans/{world.plan.pk}/tasks/"):
        r = staff.post(url, {}, format="json")
        assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied", url
        r = api(world.officer).post(url, {}, format="json")
        assert r.status_code == 400 and r.json()["error"]["fields"], url
