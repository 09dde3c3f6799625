"""The bench's essential filing (bench/essential_filing.py, issue #18) writes the rows the real
filing writes, answers the same JSON and sends the same statements: the floor it measures is the
same work, done the least way.

Two dossiers alike are filed at the same moment, one through the API, one through the bench's
endpoint; every row they leave (the dossier, its papers, steps, access rows and events, the
portal outbox, notifications) and the two answers are compared with the ids, the codes and the
lookup secret put aside (the comparison of test_filing_path.py), and the service-index counters
must have counted both alike. PostgreSQL only: the floor sends the real filing's PostgreSQL
statements.
"""

import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.tokens import token_issue
from dossiers.models import DossierAccess
from dossiers.tests.conftest import APPLICANT, at
from dossiers.tests.test_filing_path import _counters, _plain, _rows

pytestmark = [
    pytest.mark.urls("bench.trivial_urls"),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's statements"),
]


def _client(user) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user)}")
    return c


def _body(org, **extra) -> dict:
    return {"variant": org.variant.pk, "channel": 1, "accept": True, "applicant": APPLICANT,
            "documents": [{"required_document": org.doc_form.pk, "original_seen": True},
                          {"required_document": org.doc_id.pk},
                          {"name": "Giấy ủy quyền", "count": 2}],
            "summary": "Xin cấp phiếu", **extra}


def _clear() -> None:
    from bench import essential_filing

    for kept in (essential_filing._CASES, essential_filing._IN_FORCE, essential_filing._MISSING,
                 essential_filing._ALLOWED):
        kept.clear()


def _access(code: str) -> list[int]:
    return sorted(DossierAccess.objects.filter(dossier__code=code)
                  .values_list("unit_id", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("key", [False, True])
def test_the_essential_filing_writes_and_answers_what_the_real_filing_does(org, key):
    from dossiers.models import Dossier, IdempotencyKey

    _clear()
    desk = _client(org.desk)
    with mock.patch("django.utils.timezone.now", return_value=at("2026-03-02 09:00")):
        a = desk.post("/api/v1/dossiers/", _body(org), format="json",
                      **({"HTTP_IDEMPOTENCY_KEY": "k1"} if key else {}))
        counted_once = _counters()
        b = desk.post("/bench/essential/dossiers/", _body(org), format="json",
                      **({"HTTP_IDEMPOTENCY_KEY": "k2"} if key else {}))
    assert a.status_code == b.status_code == 201, (a.content, b.content)
    real = Dossier.objects.get(code=a.json()["code"])
    floor = Dossier.objects.get(code=b.json()["code"])
    assert (real.code[-4:], floor.code[-4:]) == ("0001", "0002")
    assert _plain(b.json(), floor) == _plain(a.json(), real)
    assert _rows(floor) == _rows(real)
    assert _access(floor.code) == _access(real.code) != []
    assert _counters() == [tuple(2 * n for n in row) for row in counted_once]
    assert b.json()["state"] == "received" and len(b.json()["documents"]) == 3
    # The key recorded for each with the same hash of the same request.
    keys = {k.key: (k.dossier_id, k.request_hash) for k in IdempotencyKey.objects.all()}
    assert keys == ({"k1": (real.pk, keys["k1"][1]), "k2": (floor.pk, keys["k1"][1])} if key
                    else {})
    if key:
        # A replay of the floor's key is not its plain case: refused, nothing written.
        again = desk.post("/bench/essential/dossiers/", _body(org), format="json",
                          HTTP_IDEMPOTENCY_KEY="k2")
        assert again.status_code == 409
        assert Dossier.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("key", [False, True])
def test_the_essential_filing_sends_the_real_filing_s_statements(org, key):
    """Warm (the worker's caches filled by a first filing through each), both send the token's
    read, the version check, the ids, the first joined write and the second joined write,
    headed by the code's counter: the same texts, the values aside."""
    desk = _client(org.desk)
    sent = []
    keys = iter(range(4))

    def post(path):
        extra = {"HTTP_IDEMPOTENCY_KEY": f"k{next(keys)}"} if key else {}
        return desk.post(path, _body(org), format="json", **extra)

    for path in ("/api/v1/dossiers/", "/bench/essential/dossiers/"):
        assert post(path).status_code == 201
        with CaptureQueriesContext(connection) as q:
            assert post(path).status_code == 201
        sent.append([re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'", "?", x["sql"]))
                     for x in q.captured_queries
                     if not x["sql"].startswith(("SAVEPOINT", "RELEASE"))])
    assert len(sent[1]) == 5
    assert sent[1] == sent[0]


@pytest.mark.django_db
def test_the_essential_filing_checks_the_body_as_the_real_filing_does(org):
    desk = _client(org.desk)
    body = _body(org, applicant={**APPLICANT, "id_number": "12"})
    a = desk.post("/api/v1/dossiers/", body, format="json")
    b = desk.post("/bench/essential/dossiers/", body, format="json")
    assert a.status_code == b.status_code == 400
    assert b.json() == a.json()
    body = _body(org, documents=[{"required_document": org.doc_id.pk}])
    a = desk.post("/api/v1/dossiers/", body, format="json")
    b = desk.post("/bench/essential/dossiers/", body, format="json")
    assert a.status_code == b.status_code == 400
    assert b.json() == a.json()


@pytest.mark.django_db
def test_the_essential_filing_refuses_what_is_not_the_plain_case(org):
    r = _client(org.desk).post("/bench/essential/dossiers/", _body(org, accept=False),
                               format="json")
    assert r.status_code == 409
    from dossiers.models import Dossier

    assert not Dossier.objects.exists()
