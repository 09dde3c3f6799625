"""The staff's dossier list through the API counts at most COUNT_CAP rows (a million visible
dossiers would be counted on every page otherwise); `count_exact` says which, `next` is right
either way, and a page that shows the list's end counts nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.tokens import token_issue
from motcua.pagination import CappedCountPagination


@pytest.fixture
def six(org, make_dossier, monkeypatch):
    monkeypatch.setattr(CappedCountPagination, "COUNT_CAP", 3)
    for _ in range(6):
        make_dossier()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(org.desk)}")
    return api


def _page(api, **params):
    with CaptureQueriesContext(connection) as ctx:
        body = api.get("/api/v1/dossiers/", params).json()
    counted = any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    return body, counted


def test_past_the_cap_the_count_is_a_lower_bound_and_next_still_leads_on(six):
    body, counted = _page(six, limit=2)
    assert len(body["results"]) == 2 and counted
    assert body["count"] == 4 and body["count_exact"] is False
    assert "offset=2" in body["next"]
    body, _ = _page(six, limit=2, offset=2)
    assert len(body["results"]) == 2 and body["count"] == 5 and body["count_exact"] is False
    assert "offset=4" in body["next"]


def test_the_last_page_knows_the_exact_count_without_counting(six):
    body, counted = _page(six, limit=2, offset=4)
    assert len(body["results"]) == 2 and body["next"] is None
    assert body["count"] == 6 and body["count_exact"] is True and not counted
    body, counted = _page(six, limit=50)
    assert len(body["results"]) == 6 and body["count"] == 6 and body["count_exact"] is True
    assert not counted


def test_walking_the_next_links_reads_every_row_once(six):
    seen, url = [], "/api/v1/dossiers/?limit=4"
    while url:
        body = six.get(url).json()
        seen += [row["code"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 6


def test_an_offset_past_the_end_answers_an_empty_page_and_a_bound_not_past_it(six):
    body, _ = _page(six, limit=2, offset=100)
    assert body["results"] == [] and body["next"] is None
    assert body["count"] == 4 and body["count_exact"] is False


def test_under_the_cap_the_count_is_exact(org, make_dossier):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(org.desk)}")
    for _ in range(3):
        make_dossier()
    body = api.get("/api/v1/dossiers/", {"limit": 1}).json()
    assert body["count"] == 3 and body["count_exact"] is True and body["next"]


def test_dossiers_filed_in_the_same_instant_keep_one_order_across_the_pages(six):
    """The six are filed at one moment (make_dossier's default): ordered by that moment alone,
    PostgreSQL returned ties in any order and the offset pages could repeat one and skip another;
    the newest row comes first among them, the same on every page."""
    from dossiers.models import Dossier

    assert Dossier.objects.values("submitted_at").distinct().count() == 1
    paged = [six.get("/api/v1/dossiers/", {"limit": 1, "offset": n}).json()["results"][0]["code"]
             for n in range(6)]
    assert paged == list(Dossier.objects.order_by("-id").values_list("code", flat=True))
