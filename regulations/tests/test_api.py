"""The register's API: the same walk as the pages, errors in the house format."""

from rest_framework.test import APIClient

from catalog.models import Procedure


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_api_walk(org):
    reform, unit = _api(org.reform), _api(org.specialist)
    r = reform.post("/api/v1/regulation-rounds/", {"name": "Rà soát 2026",
                                                   "unit": org.province.code,
                                                   "start_date": "2026-01-01",
                                                   "end_date": "2026-12-31"}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = reform.post(f"/api/v1/regulation-rounds/{pk}/provisions/",
                    {"kind": "time_limit", "procedure_code": org.procedure.code,
                     "element": org.limit.pk}, format="json")
    assert r.status_code == 201, r.content
    provision = r.json()["id"]
    r = unit.patch(f"/api/v1/regulation-provisions/{provision}/",
                   {"action": "simplify", "reason": "Rút ngắn", "new_time_limit": "5",
                    "hourly_cost": "20000", "hours_before": "4", "hours_after": "4"},
                   format="json")
    assert r.status_code == 200 and r.json()["action"] == "simplify"
    r = unit.post(f"/api/v1/regulation-provisions/{provision}/actions/propose/", {},
                  format="json")
    assert r.json()["state"] == "proposed"
    r = unit.post(f"/api/v1/regulation-provisions/{provision}/actions/approve/",
                  {"decision_number": "9/QĐ", "decision_date": "2026-02-01",
                   "effective_date": "2026-02-01"}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    r = reform.post(f"/api/v1/regulation-provisions/{provision}/actions/approve/",
                    {"decision_number": "9/QĐ", "decision_date": "2026-02-01",
                     "effective_date": "2026-03-01"}, format="json")
    assert r.status_code == 200 and r.json()["new_version"] == 2
    assert Procedure.objects.get(code=org.procedure.code, version=2).variants.get() \
        .time_limits.get().amount == 5
    events = reform.get(f"/api/v1/regulation-provisions/{provision}/events/").json()
    assert [e["action"] for e in events] == ["add", "edit", "propose", "approve"]
    summary = reform.get("/api/v1/regulation-summary/?start=2026-01-01&end=2026-12-31").json()
    assert summary["approved"] == 1 and summary["target_percent"] == 20


def test_api_errors_name_the_field(org):
    reform = _api(org.reform)
    r = reform.post("/api/v1/regulation-rounds/", {"name": "x", "unit": "nope",
                                                   "start_date": "2026-01-01",
                                                   "end_date": "2026-12-31"}, format="json")
    assert r.status_code == 400 and "unit" in r.json()["error"]["fields"]
    r = reform.get("/api/v1/regulation-summary/?start=hôm-qua")
    assert r.status_code == 400 and "start" in r.json()["error"]["fields"]
    assert _api(org.other_specialist).get("/api/v1/regulation-rounds/").json()["results"] == []


def test_one_who_opens_no_round_hears_so_before_what_to_fill_in(org):
    """A unit's specialist (no reform role anywhere) sending an empty body gets 403, not the
    fields a round needs; the reform officer's empty body still gets them."""
    r = _api(org.specialist).post("/api/v1/regulation-rounds/", {}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    r = _api(org.reform).post("/api/v1/regulation-rounds/", {}, format="json")
    assert r.status_code == 400 and "name" in r.json()["error"]["fields"]
