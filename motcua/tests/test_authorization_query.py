"""Routes with no parameter in their path that still read a unit's dossiers or people: the unit
is chosen in the query string (`?don-vi=`), so test_authorization.py's walk of path parameters
does not reach them. Each is asked, as another unit's officer, for the centre's data and must
answer with none of it; the rightful reader asking the same URL gets the dossier, so an empty
answer cannot come from a wrong URL or an empty period.

The table below must classify every route without a path parameter: a new one makes
`test_every_fixed_route_is_classified` fail until it is added, with its case or with the reason
it reads nothing of another unit (Decree 13/2023/NĐ-CP, Art. 26: personal data processed only by
those whose task requires it)."""

import io
import subprocess
from dataclasses import dataclass

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Role
from dossiers.tests.conftest import APPLICANT, _user, make_dossier, org  # noqa: F401
from motcua.tests.test_authorization import routes

MARCH = {"ky": "thang", "nam": "2026", "so": "3"}
REGISTER_MARCH = {"tu-ngay": "2026-03-01", "den-ngay": "2026-03-31"}


@dataclass(frozen=True)
class Query:
    route: str
    url: str
    params: callable  # (org) -> the query string asking for the centre's data
    reader: str  # who may read it: "desk" (the centre's desk) or "chair" (the province's head)
    form: str = "html"  # how the answer is read: html, xlsx, pdf, csv, json
    api: bool = False


def _centre_code(o) -> dict:
    return {"don-vi": o.centre.code, **MARCH}


QUERIES = [
    Query("dossiers:register", "/so-theo-doi/",
          lambda o: {"don-vi": o.centre.pk, **REGISTER_MARCH}, "desk"),
    Query("dossiers:register_xlsx", "/so-theo-doi/so-theo-doi.xlsx",
          lambda o: {"don-vi": o.centre.pk, **REGISTER_MARCH}, "desk", form="xlsx"),
    Query("dossiers:register_pdf", "/so-theo-doi/so-theo-doi.pdf",
          lambda o: {"don-vi": o.centre.pk, **REGISTER_MARCH}, "desk", form="pdf"),
    Query("metrics:drill", "/chi-so/ho-so/",
          lambda o: {**_centre_code(o), "chi-so": "received"}, "chair"),
    Query("metrics:dashboard", "/chi-so/", _centre_code, "chair"),
    Query("metrics:export_xlsx", "/chi-so/xuat/excel/", _centre_code, "chair", form="xlsx"),
    Query("metrics:export_csv", "/chi-so/xuat/csv/", _centre_code, "chair", form="csv"),
    Query("api:metrics-report", "/api/v1/metrics/", _centre_code, "chair", form="json",
          api=True),
]

# Routes without a path parameter that need no case here, and why.
NOT_KEYED = {
    "set_language": "the interface language only",
    "schema": "the API's published description",
    "api-docs": "the API's published description",
    "oidc_authentication_callback": "the VNeID login: the person's own identity",
    "oidc_authentication_init": "the VNeID login",
    "oidc_logout": "the VNeID logout",
    # Public by design.
    "catalog:list": "the published catalogue",
    "api:procedure-list": "the published catalogue",
    "results:verify": "a result's public registry entry (number masked)",
    "api:results-verify": "the same registry entry",
    "dossiers:lookup": "code + second factor (test_authorization.py's query walk)",
    "api:citizen-lookup": "one's own proven number only (test_authorization.py's query walk)",
    "feedback:answers": "published answers: subject and answer only",
    "api:feedback-answers": "the same published answers",
    "feedback:send": "a form sending one's own feedback",
    "api:feedback-send": "the same, through the API",
    "feedback:sent": "the code of what one just sent, from the session",
    "feedback:lookup": "code + second factor, as the dossier lookup",
    "api:feedback-lookup": "the same lookup",
    "feedback:rate": "code + second factor, as the lookup",
    "api:feedback-rate": "the same, through the API",
    "reform:public_plans": "plans' public progress: agencies and figures only",
    "api:payment-callback": "the gateway's signed callback (payments/tests)",
    "api:population-simulator": "the demo's population database simulator (DEBUG only)",
    # The national portal's side, for an installation's credentials (sync/tests).
    "api:national-token": "an installation's credentials",
    "api:national-service": "an installation's token",
    "api:national-lookup": "an installation's token",
    "api:national-dossiers": "an installation's token",
    "api:national-counts": "an installation's token",
    "api:national-switches": "the portal simulator's switches",
    "sync:national": "the national mode's own page of installations",
    # The person's own account and data.
    "api:token": "one's own credentials",
    "accounts:login": "one's own credentials",
    "accounts:logout": "one's own session",
    "accounts:signup": "a new account",
    "accounts:verify": "one's own contact code",
    "accounts:verify_resend": "one's own contact code",
    "accounts:password_forgot": "same answer for every identifier (accounts/tests)",
    "accounts:password_reset": "one's own code",
    "accounts:profile": "one's own profile",
    "accounts:profile_contact_confirm": "one's own contact code",
    "accounts:vneid_link": "one's own VNeID identity",
    "accounts:second_factor": "one's own second factor",
    "accounts:second_factor_setup": "one's own second factor",
    "accounts:my_data_reads": "who read one's own data",
    "api:my-dossiers": "one's own dossiers (test_authorization.py's query walk)",
    "dossiers:my_list": "one's own dossiers",
    "results:my_store": "one's own proven documents (test_authorization.py)",
    "api:results-store": "the same store through the API (test_authorization.py)",
    "feedback:mine": "one's own feedback",
    "notifications:inbox": "one's own notifications",
    "notifications:mark_read": "one's own notifications",
    # Staff pages whose rows come from the person's own units, with no unit asked in the URL.
    "dossiers:inbox": "the person's own units' work (dossiers/tests/test_access*.py)",
    "api:dossier-list": "the same rows as the work lists (test_authorization.py's query walk)",
    "dossiers:counter_new": "a form for the person's own desk",
    "dossiers:procedure_search": "the published catalogue, for the desk",
    "dossiers:counter_applicant": "desk staff only, logged (test_authorization.py's query walk)",
    "dossiers:variant_options": "the published catalogue's cases",
    "accounts:desk_identity": "the desk proving the identity of the person before it, logged",
    "accounts:data_access_log": "administrators only (accounts/tests)",
    "sync:status": "the installation's sync state, for its administrators",
    "sync:resend_dossier": "an administrator's resend, by code of a visible dossier",
    "sync:resend_failed": "an administrator's resend of failed messages",
    "evaluations:kiosk": "the desk's own kiosk",
    "evaluations:kiosk_confirm": "a POST naming a dossier: only the unconfirmed evaluations of the "
                                 "desk's own units are looked up (404 otherwise)",
    "evaluations:screen_send": "the desk's own screen",
    "evaluations:screen": "the screen account's own form",
    "evaluations:screen_poll": "the screen account's own form",
    "evaluations:follow_ups": "the head's own units' follow-ups",
    "payments:reconciliation": "the accountant's own units",
    "feedback:staff_inbox": "the person's own units' feedback",
    "api:feedback-items": "the person's own units' feedback",
    "feedback:staff_record": "a form recording a letter or a call for one's own unit",
    "feedback:staff_statistics": "counts per unit of the person's own units",
    "feedback:staff_report": "the same counts as a workbook",
    "api:feedback-statistics": "the same counts through the API",
    "regulations:index": "the person's own rounds",
    "regulations:round_create": "a form for the reform officer",
    "regulations:summary": "counts of the province's review, for its staff",
    "regulations:summary_xlsx": "the same counts as a workbook",
    "api:regulation-round-list": "the person's own rounds",
    "api:regulation-summary": "the same counts through the API",
    "reform:plans": "the person's own unit's plans",
    "reform:annex_template": "an empty template",
    "reform:directives": "the province's directive register (published documents)",
    "reform:par_home": "the person's own assessments and rounds",
    "reform:par_template": "an empty template",
    "reform:sipas_list": "the organiser's own rounds",
    "api:reform-plans": "the person's own unit's plans",
    "api:reform-directives": "the province's directive register",
    "api:reform-par-assessments": "the person's own assessments",
    "api:reform-sipas-list": "the organiser's own rounds",
}


def test_every_fixed_route_is_classified():
    known = {q.route for q in QUERIES} | set(NOT_KEYED)
    missing = sorted(f"{name} ({route})" for name, route in routes(with_parameter=False)
                     if name not in known and not route.startswith("admin/"))
    assert missing == [], "add these routes to QUERIES or NOT_KEYED"
    stale = sorted(known - {name for name, _route in routes(with_parameter=False)})
    assert stale == [], "these routes no longer exist"


def _text(response, form: str) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if form == "xlsx":
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True) for cell in row
                         if cell is not None)
    if form == "pdf":
        return subprocess.run(["pdftotext", "-layout", "-", "-"], input=body,
                              capture_output=True, check=True).stdout.decode()
    return body.decode()


@pytest.fixture
def centre_dossier(org, make_dossier):  # noqa: F811
    org.chair = _user("chutich", org.province, Role.HEAD)
    return make_dossier(when="2026-03-02 09:00")


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.route)
def test_another_units_officer_reads_nothing_of_the_centre(query, org, centre_dossier):  # noqa: F811
    params = query.params(org)

    def ask(user):
        client = APIClient() if query.api else Client()
        if query.api:
            client.force_authenticate(user)
        else:
            client.force_login(user)
        return client.get(query.url, params)

    # The rightful reader gets the centre's dossier (or its count) at this very URL.
    rightful = ask(getattr(org, query.reader))
    assert rightful.status_code == 200, rightful.status_code
    text = _text(rightful, query.form)
    if query.route.startswith("dossiers:"):
        assert centre_dossier.code.replace("-", "") in text.replace("-", "").replace("\n", "")
    else:
        assert org.centre.name in text or org.centre.code in text
    # Another unit's officer (desk, specialist and head of a commune) asking for the centre.
    other = ask(org.other_desk)
    if other.status_code == 200:
        seen = _text(other, query.form)
        for secret in (centre_dossier.code, APPLICANT["name"], APPLICANT["id_number"],
                       org.centre.name):
            assert secret not in seen, (query.route, secret)
    else:
        assert other.status_code in (403, 404), other.status_code
