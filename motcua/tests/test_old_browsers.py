"""A browser that does not send Sec-Fetch-Site (Safari before 16.4, Chrome before 76, Firefox
before 90) is asked for a Referer of this site before a guarded read runs (audit6,
motcua/search_proof.py `request_from_other_site`, docs/security.md).

Until audit6 a request without the header ran as if the officer had asked: another site's link,
redirect or new window opened a dossier's page in such a browser and logged the read in the
officer's name (Decree 13/2023/NĐ-CP art. 9, Law 91/2025/QH15), and an admin list's proof — one
per session, not per search — seen once in a history searched any number from another site.
"""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import PersonalDataAccess
from dossiers.tests.conftest import APPLICANT, root  # noqa: F401 - fixture
from motcua.search_proof import request_from_other_site

LOG = PersonalDataAccess.objects
OLD_SAFARI = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
              "(KHTML, like Gecko) Version/15.6 Safari/605.1.15")
OURS = "http://testserver/hop-ho-so/"
NOTICE = "Trang này được mở từ một trang web khác"


def _browser(referer: str = "") -> dict[str, str]:
    headers = {"HTTP_USER_AGENT": OLD_SAFARI}
    if referer:
        headers["HTTP_REFERER"] = referer
    return headers


@pytest.mark.parametrize("headers,foreign", [
    ({"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": OURS}, True),
    ({"HTTP_SEC_FETCH_SITE": "same-origin"}, False),
    ({"HTTP_SEC_FETCH_SITE": "none"}, False),
    (_browser(), True),                                   # another site hid its address
    (_browser("https://lua-dao.example/trang"), True),    # another site's link
    (_browser("http://testserver.lua-dao.example/"), True),
    (_browser("javascript://testserver/"), True),
    (_browser("http://[::1"), True),                      # not a URL at all
    (_browser(OURS), False),                              # our own pages' links
    (_browser("https://testserver/ho-so/"), False),       # TLS ended at the proxy
    ({}, False),                                          # a script, the test client
    ({"HTTP_USER_AGENT": "python-httpx/0.28"}, False),
])
def test_who_counts_as_another_site(headers, foreign):
    assert request_from_other_site(RequestFactory().get("/ho-so/x/", **headers)) is foreign


def test_another_sites_link_opens_no_dossier_in_an_old_browser(org, make_dossier, client_for):
    dossier = make_dossier()
    desk = client_for(org.desk)
    url = reverse("dossiers:detail", args=[dossier.code])
    LOG.all().delete()
    for headers in (_browser(), _browser("https://lua-dao.example/")):
        page = desk.get(url, **headers)
        assert page.status_code == 200 and NOTICE in page.content.decode()
        assert APPLICANT["name"] not in page.content.decode()
    assert not LOG.exists()
    # The notice's button is a link of this site: followed, the page opens and logs one read.
    opened = desk.get(url, **_browser(f"http://testserver{url}"))
    assert APPLICANT["name"] in opened.content.decode()
    assert LOG.count() == 1


def test_an_admin_proof_seen_once_searches_nothing_from_another_site(org, make_dossier,
                                                                      root):  # noqa: F811
    make_dossier()
    url = "/admin/accounts/user/"
    proof = re.search(r'name="_tu_trang" value="([0-9a-f]+)"',
                      root.get(url).content.decode()).group(1)
    search = {"q": APPLICANT["id_number"], "_tu_trang": proof}
    for headers in (_browser(), _browser("https://lua-dao.example/")):
        assert "Chưa tìm theo số" in root.get(url, search, **headers).content.decode()
    assert not LOG.exists()
    # The list's own search box: a Referer of the admin's page.
    found = root.get(url, search, **_browser(f"http://testserver{url}"))
    assert "Chưa tìm theo số" not in found.content.decode()
    assert LOG.exists()


def test_a_work_box_key_replayed_from_another_site_reads_nothing(org, make_dossier,
                                                                 client_for):
    make_dossier()
    desk = client_for(org.desk)
    box = reverse("dossiers:box", args=["all"])
    sent = desk.post(box, {"q": APPLICANT["id_number"]}, **_browser(f"http://testserver{box}"))
    assert sent.status_code == 303
    LOG.all().delete()
    for headers in (_browser(), _browser("https://lua-dao.example/")):
        desk.get(sent["Location"], **headers)
    assert not LOG.exists()
    # The redirect after the form keeps the form's page as the Referer: the search runs.
    desk.get(sent["Location"], **_browser(f"http://testserver{box}"))
    assert LOG.exists()
