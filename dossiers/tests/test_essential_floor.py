"""The bench's essential forward (bench/essential.py, issue #18) writes the rows the real forward
writes and answers the same JSON: the floor it measures is the same work, done the least way.

Two dossiers are filed alike; one is forwarded through the API, the other through the bench's
essential endpoint, at the same moment; every row they leave (the dossier, its papers, steps and
events, the portal outbox, notifications) and the two answers are compared with the ids, the
codes and the lookup secret put aside (the comparison of test_filing_path.py). PostgreSQL only:
the essential forward sends the real forward's three PostgreSQL statements.
"""

import re
from unittest import mock

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.tokens import token_issue
from dossiers.tests.conftest import at
from dossiers.tests.test_filing_path import _plain, _rows

pytestmark = [
    pytest.mark.urls("bench.trivial_urls"),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's statements"),
]


def _client(user) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user)}")
    return c


@pytest.mark.django_db
def test_the_essential_forward_writes_and_answers_what_the_real_forward_does(org,
                                                                              make_dossier):
    from bench import essential

    for kept in (essential._UNITS, essential._PROCEDURES, essential._FEES, essential._ALLOWED):
        kept.clear()
    real, floor = make_dossier(), make_dossier()
    desk = _client(org.desk)
    with mock.patch("django.utils.timezone.now", return_value=at("2026-03-03 10:15")):
        a = desk.post(f"/api/v1/dossiers/{real.code}/actions/forward/", {}, format="json")
        b = desk.post(f"/bench/essential/{floor.code}/forward/", {}, format="json")
    assert a.status_code == b.status_code == 200, (a.content, b.content)
    assert _plain(b.json(), floor) == _plain(a.json(), real)
    assert _rows(floor) == _rows(real)
    assert b.json()["state"] == "processing"
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_the_essential_forward_sends_the_real_forward_s_statements(org, make_dossier):
    """Warm (the worker's caches filled by a first forward of each), both send the token's
    read, the lock statement and one joined write: the same texts, the values aside."""
    from django.test.utils import CaptureQueriesContext

    desk = _client(org.desk)
    sent = []
    for path in ("/api/v1/dossiers/{}/actions/forward/", "/bench/essential/{}/forward/"):
        assert desk.post(path.format(make_dossier().code), {}, format="json").status_code == 200
        code = make_dossier().code
        with CaptureQueriesContext(connection) as q:
            assert desk.post(path.format(code), {}, format="json").status_code == 200
        sent.append([re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'", "?", x["sql"]))
                     for x in q.captured_queries
                     if not x["sql"].startswith(("SAVEPOINT", "RELEASE"))])
    assert len(sent[1]) == 3
    assert sent[1] == sent[0]


@pytest.mark.django_db
def test_the_essential_forward_refuses_an_officer_not_at_the_step(org, make_dossier):
    d = make_dossier()
    r = _client(org.head).post(f"/bench/essential/{d.code}/forward/", {}, format="json")
    assert r.status_code == 409
    d.refresh_from_db()
    assert d.state == "received"
