"""A signed-in person's pages and API answers are kept by no cache (motcua/no_store.py; the
audit11 review in docs/security.md).

Without a `Cache-Control` a browser keeps a dossier's page — the applicant's ID number, address
and phone — in its disk cache and shows it again on Back after sign-out: on a desk PC shared by
the shift, the next person read it without a session and without a row in the personal-data
log. htmx kept the work box it swapped (names, and the number searched) in the tab's storage
the same way.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tokens import token_issue
from dossiers.tests.conftest import APPLICANT, root  # noqa: F401 - fixture
from motcua.no_store import NO_STORE


@pytest.fixture
def dossier(make_dossier):
    return make_dossier()


def test_a_dossiers_page_is_kept_by_no_cache(org, dossier, client_for):
    response = client_for(org.desk).get(reverse("dossiers:detail", args=[dossier.code]))
    assert response.status_code == 200
    assert APPLICANT["id_number"] in response.content.decode()
    assert response["Cache-Control"] == NO_STORE


@pytest.mark.parametrize("name", ["dossiers:inbox", "dossiers:register", "accounts:profile"])
def test_the_staff_pages_and_their_redirects_are_kept_by_no_cache(org, dossier, client_for,
                                                                  name):
    response = client_for(org.desk).get(reverse(name))
    assert response.status_code in (200, 302)
    assert response["Cache-Control"] == NO_STORE


def test_a_work_box_swapped_by_htmx_is_kept_by_no_cache(org, dossier, client_for):
    response = client_for(org.desk).get(reverse("dossiers:box", args=["all"]),
                                        HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert dossier.code in response.content.decode()
    assert response["Cache-Control"] == NO_STORE


def test_a_citizens_own_pages_are_kept_by_no_cache(org, client_for):
    response = client_for(org.citizen).get(reverse("dossiers:my_list"))
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_api_answers_with_a_token_or_a_session_are_kept_by_no_cache(org, dossier, client_for):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(org.desk)}")
    by_token = api.get(f"/api/v1/dossiers/{dossier.code}/")
    assert by_token.status_code == 200
    assert by_token.json()["applicant"]["id_number"] == APPLICANT["id_number"]
    assert by_token["Cache-Control"] == NO_STORE
    by_session = client_for(org.desk).get("/api/v1/dossiers/")
    assert by_session.status_code == 200
    assert by_session["Cache-Control"] == NO_STORE


def test_a_views_own_header_is_kept_and_public_pages_stay_cacheable(client, root):  # noqa: F811
    # The admin's never_cache says more than ours; it is left as it is.
    admin_page = root.get("/admin/")
    assert admin_page.status_code == 200
    assert "no-store" in admin_page["Cache-Control"] and "max-age=0" in admin_page["Cache-Control"]
    lookup = client.get(reverse("dossiers:lookup"))
    assert lookup["Cache-Control"] == "no-store"  # the lookup's own
    catalogue = client.get(reverse("catalog:list"))
    assert catalogue.status_code == 200
    assert not catalogue.has_header("Cache-Control")


def test_htmx_keeps_no_snapshot_of_the_pages_it_swaps(org, client_for):
    page = client_for(org.desk).get(reverse("dossiers:box", args=["all"])).content.decode()
    found = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page)
    assert found, "base.html carries no htmx-config"
    config = json.loads(found.group(1))
    assert config["historyCacheSize"] == 0
    # Back then loads the page from the server, which asks for the session again.
    assert config["refreshOnHistoryMiss"] is True


def test_the_pages_before_sign_in_that_show_the_contact_are_kept_by_no_cache(client, org):
    """The code's page of a sign-up and of a forgotten password name the phone or e-mail the
    code went to, before anyone is signed in."""
    org.citizen.phone = "0912345678"
    org.citizen.save()
    assert client.post("/tai-khoan/quen-mat-khau/", {"identifier": "congdan"}).status_code == 302
    page = client.get("/tai-khoan/dat-lai-mat-khau/")
    assert page.status_code == 200 and "congdan" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    session = client.session
    session["accounts_pending_user_id"] = org.citizen.pk
    session.save()
    org.citizen.awaiting_verification = True
    org.citizen.save()
    page = client.get("/tai-khoan/xac-minh/")
    assert page.status_code == 200 and "congdan" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
