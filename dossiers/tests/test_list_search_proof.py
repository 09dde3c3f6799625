"""A search by personal number in the staff lists runs only when the officer asked for it
(motcua/search_proof.py, docs/security.md "Searches by number"): a URL written by someone else —
a link or an image on another site — reads nothing and writes nothing to the personal-data log
(Decree 13/2023/NĐ-CP art. 9), and the number never stands in a work list's URL.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import PersonalDataAccess, User
from accounts.tokens import token_issue
from dossiers.models import Dossier
from dossiers.tests.conftest import list_url
from dossiers.views import inbox as inbox_view
from motcua.search_proof import SEARCHES_KEPT

ALL = reverse("dossiers:box", args=["all"])
HTMX = {"HTTP_HX_REQUEST": "true"}
CROSS_SITE = {"HTTP_SEC_FETCH_SITE": "cross-site"}
AN = {"kind": 1, "name": "Nguyễn Văn Ấn", "id_number": "056090001234",
      "address": "5 Lê Lợi, Nha Trang", "phone": "0387654321"}
LOG = PersonalDataAccess.objects


def _key_aside(url: str) -> str:
    """`url` with the session's search key put aside: the key is random URL-safe base64, which
    holds a "387" or a "222" about once in twenty thousand runs."""
    return re.sub(r"([?&]tim=)[^&]*", r"\1KEY", url)


def _codes(response) -> set[str]:
    html = response.content.decode()
    return {d.code for d in Dossier.objects.all() if d.code in html}


@pytest.fixture
def three(org, make_dossier):
    bich = make_dossier()  # Trần Thị Bích, 056185004321, 0914222333
    an = make_dossier(applicant=AN, when="2026-03-03 09:00")
    online = make_dossier(accept=False, channel=2, actor=org.citizen, when="2026-03-04 09:00")
    return bich, an, online


def test_a_number_in_the_url_reads_and_logs_nothing(client_for, org, three):
    """The forged GET: another site's link or <img> to a work list searched by an ID."""
    desk = client_for(org.desk)
    for headers in (CROSS_SITE, {}, {"HTTP_SEC_FETCH_SITE": "same-origin"}):
        page = desk.get(ALL, {"q": AN["id_number"], "kenh": "1"}, **headers)
        assert page.status_code == 200
        html = page.content.decode()
        # The list without the number (the other filter kept), and a button that sends it.
        assert _codes(page) == {three[0].code, three[1].code}
        assert "chưa tìm và chưa đọc dữ liệu của ai" in html
        form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S)
        assert form and form.group(1) == ALL and "csrfmiddlewaretoken" in form.group(2)
        assert f'name="q" value="{AN["id_number"]}"' in form.group(2)
        assert 'name="kenh" value="1"' in form.group(2)
        # No link of the list carries the number (the language form's "next" is this very URL).
        assert not re.search(rf'(href|hx-get)="[^"]*{AN["id_number"]}', html)
    assert not LOG.exists()


def test_the_notices_button_finds_the_person_and_logs_one_read(client_for, org, three):
    desk = client_for(org.desk)
    desk.get(ALL, {"q": AN["id_number"]})
    sent = desk.post(ALL, {"q": AN["id_number"]})  # what the button sends
    assert sent.status_code == 303 and AN["id_number"] not in sent["Location"]
    assert not LOG.exists()
    found = desk.get(sent["Location"], HTTP_SEC_FETCH_SITE="same-origin")
    assert _codes(found) == {three[1].code}
    assert f'value="{AN["id_number"]}"' in found.content.decode()  # the box shows it
    assert list(LOG.values_list("user", "subject", "reference")) == [
        (org.desk.pk, AN["id_number"], three[1].code)]


def test_the_form_keeps_the_number_out_of_the_url_and_the_other_filters_in(client_for, org,
                                                                          three):
    desk = client_for(org.desk)
    url = list_url(desk, ALL, {"q": "+84 387 654 321", "kenh": "1", "han": "qua-han"})
    assert "387" not in _key_aside(url)
    assert "kenh=1" in url and "han=qua-han" in url and "tim=" in url
    page = desk.get(url)
    assert _codes(page) == {three[1].code}
    html = page.content.decode()
    # Tabs and links carry the key, never the number.
    assert re.search(r"/ho-so/[^\"?]*\?kenh=1&amp;han=qua-han&amp;tim=[\w-]+", html) or \
        re.search(r"\?[^\"]*tim=[\w-]+", html)
    assert "q=%2B84" not in html and "q=0387" not in html
    assert LOG.count() == 1
    # The same number again: the same key, the session's table does not grow.
    assert list_url(desk, ALL, {"q": "+84 387 654 321", "kenh": "1", "han": "qua-han"}) == url
    # A name or a code still travels in the URL as before.
    assert "q=nguyen" in list_url(desk, ALL, {"q": "nguyen"})


def test_a_key_opened_by_another_site_or_another_session_reads_nothing(client_for, org, three):
    desk = client_for(org.desk)
    url = list_url(desk, ALL, {"q": AN["id_number"]})
    # Replayed from another site (a URL copied out of a history or a log).
    page = desk.get(url, **CROSS_SITE)
    assert _codes(page) == {c.code for c in three}
    assert "chưa tìm và chưa đọc dữ liệu của ai" in page.content.decode()
    # Another officer's browser (another session) does not know the key.
    other = client_for(org.desk)
    page = other.get(url)
    assert _codes(page) == {c.code for c in three}
    assert "không còn dùng được" in page.content.decode()
    assert not LOG.exists()
    # The officer's own browser still does (a reload, a bookmark in the same session).
    assert _codes(desk.get(url)) == {three[1].code}
    assert _codes(desk.get(url, HTTP_SEC_FETCH_SITE="none")) == {three[1].code}
    assert LOG.count() == 2


def test_htmx_gets_the_list_at_once_with_the_url_to_show(client_for, org, three):
    desk = client_for(org.desk)
    r = desk.post(reverse("dossiers:box", args=["process"]),
                  {"q": "0914.222.333", "kenh": "1"}, **HTMX)
    assert r.status_code == 200 and "<html" not in r.content.decode()
    assert _codes(r) == {three[0].code}
    assert r["HX-Push-Url"].startswith(reverse("dossiers:box", args=["process"]) + "?kenh=1&tim=")
    assert "222" not in _key_aside(r["HX-Push-Url"])
    assert LOG.count() == 1
    assert _codes(desk.get(r["HX-Push-Url"], **HTMX)) == {three[0].code}


def test_paging_a_search_by_number_keeps_it(client_for, org, make_dossier, monkeypatch):
    monkeypatch.setattr(inbox_view, "PAGE_SIZE", 2)
    made = [make_dossier(applicant=AN, when=f"2026-03-0{2 + i} 09:00") for i in range(5)]
    make_dossier()  # someone else's, never listed
    desk = client_for(org.desk)
    url, seen, pages = list_url(desk, ALL, {"q": AN["id_number"]}), [], 0
    while url:
        html = desk.get(url).content.decode()
        assert AN["id_number"] not in url
        seen += [d.code for d in made if d.code in html]
        pages += 1
        more = re.search(r'href="([^"]*sau=[^"]*)"', html)
        url = more.group(1).replace("&amp;", "&") if "Trang sau" in html else ""
    assert sorted(seen) == sorted(d.code for d in made) and pages == 3
    assert LOG.count() == 5  # one row per dossier listed, on the page that listed it


@pytest.mark.parametrize("params", [
    {"tim": "x" * 5000}, {"tim": ""}, {"tim": "²"}, {"tim": ["a", "b"]},
    {"tim": "../../etc", "q": "nguyen"}, {"q": "0" * 100}, {"q": "+84"}, {"q": "²²²²²²²²²"},
    {"q": "056090001234", "tim": "x"}, {"sau": "x" * 100, "tim": "y"}])
def test_odd_values_are_never_a_server_error(client_for, org, three, params):
    desk = client_for(org.desk)
    assert desk.get(ALL, params).status_code == 200
    assert desk.post(ALL, params).status_code == 303
    assert not LOG.exists()


def test_a_session_holding_junk_or_many_searches_still_answers(client_for, org, three):
    desk = client_for(org.desk)
    session = desk.session
    session["motcua_number_searches"] = "junk"
    session.save()
    assert desk.get(ALL, {"tim": "abc"}).status_code == 200
    first = list_url(desk, ALL, {"q": "079300000000"})
    for n in range(SEARCHES_KEPT):
        list_url(desk, ALL, {"q": f"0793000000{n + 10}"})
    # The oldest key is forgotten: the notice, nothing read.
    assert "không còn dùng được" in desk.get(first).content.decode()
    assert not LOG.exists()


def test_the_api_with_the_browsers_session_searches_by_number_only_from_the_site(
        client_for, org, three):
    browser = client_for(org.desk)
    api = "/api/v1/dossiers/"
    for headers in (CROSS_SITE, {}, {"HTTP_SEC_FETCH_SITE": "none"}):
        refused = browser.get(api, {"q": AN["id_number"]}, **headers)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "permission_denied"
    assert not LOG.exists()
    # The API docs page's fetch, same origin: found and logged.
    found = browser.get(api, {"q": AN["id_number"]}, HTTP_SEC_FETCH_SITE="same-origin").json()
    assert [row["code"] for row in found["results"]] == [three[1].code]
    assert LOG.count() == 1
    # A name through the session, and a number with a token, are unchanged.
    assert browser.get(api, {"q": "nguyen"}, **CROSS_SITE).status_code == 200
    token = token_issue(org.desk)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(api, {"q": AN["id_number"]}, **CROSS_SITE).status_code == 200
    assert LOG.count() == 2


# --- the Django admin's lists ------------------------------------------------------------

def _proof(html: str) -> str:
    return re.search(r'name="_tu_trang" value="([0-9a-f]+)"', html).group(1)


def test_an_admin_list_searched_by_a_forged_get_reads_nothing(org, three, root):
    url = "/admin/dossiers/dossier/"
    for params, headers in (({"q": AN["id_number"]}, CROSS_SITE),
                            ({"q": AN["id_number"]}, {}),
                            ({"q": AN["id_number"], "_tu_trang": "0" * 32}, {}),
                            ({"q": AN["id_number"], "_tu_trang": ["a", "b"]}, {})):
        page = root.get(url, params, **headers)
        assert page.status_code == 200
        html = page.content.decode()
        assert _codes(page) == {c.code for c in three}  # unfiltered
        assert "Chưa tìm theo số «056090001234»" in html
        # The search box holds the number, its form this session's proof: one click sends it.
        assert f'value="{AN["id_number"]}"' in html
    assert not LOG.exists()
    found = root.get(url, {"q": AN["id_number"], "_tu_trang": _proof(html)},
                     HTTP_SEC_FETCH_SITE="same-origin")
    assert _codes(found) == {three[1].code}
    assert "Chưa tìm theo số" not in found.content.decode()
    assert list(LOG.values_list("subject", "reference")) == [(AN["id_number"], three[1].code)]


def test_an_admin_proof_replayed_from_another_site_or_session_reads_nothing(org, three, root):
    url = "/admin/accounts/user/"
    proof = _proof(root.get(url).content.decode())
    search = {"q": AN["phone"], "_tu_trang": proof}
    assert "Chưa tìm theo số" in root.get(url, search, **CROSS_SITE).content.decode()
    assert "Chưa tìm theo số" in root.get(url, search,
                                          HTTP_SEC_FETCH_SITE="same-site").content.decode()
    other = Client()
    other.force_login(User.objects.get(username="quantri"))
    assert "Chưa tìm theo số" in other.get(url, search).content.decode()
    assert not LOG.filter(action=LOG.model.Action.ADMIN_SEARCH).exists()
    # A name needs no proof; the proof is no filter (no "?e=1" error page).
    assert root.get(url, {"q": "tiepnhan", "_tu_trang": "x"}).status_code == 200


def test_an_admin_search_by_number_keeps_its_proof_through_the_pages(org, make_dossier, root,
                                                                     monkeypatch):
    from dossiers.admin import DossierAdmin

    monkeypatch.setattr(DossierAdmin, "list_per_page", 1)
    made = [make_dossier(applicant=AN) for _ in range(2)]
    url = "/admin/dossiers/dossier/"
    first = root.get(url, {"q": AN["id_number"], "_tu_trang": _proof(root.get(url).content
                                                                       .decode())})
    html = first.content.decode()
    link = re.search(r'href="(\?[^"]*p=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "_tu_trang=" in link and "q=" in link
    second = root.get(url + link)
    assert "Chưa tìm theo số" not in second.content.decode()
    assert {c for c in (d.code for d in made) if c in second.content.decode()}
    assert LOG.count() == 2  # one dossier listed on each page


@pytest.mark.parametrize("typed", ['"056090001234"', "056090001234 Văn", "'056090001234' Văn"])
def test_an_admin_number_among_words_or_quoted_is_proven_and_logged(org, three, root, typed):
    """Django's admin search matches word by word, quotes removed: the number inside such a
    search finds the person as the number alone does."""
    url = "/admin/dossiers/dossier/"
    forged = root.get(url, {"q": typed}, **CROSS_SITE)
    assert _codes(forged) == {c.code for c in three}
    assert not LOG.exists()
    found = root.get(url, {"q": typed, "_tu_trang": _proof(forged.content.decode())})
    assert _codes(found) == {three[1].code}
    assert list(LOG.values_list("subject", "reference")) == [(AN["id_number"], three[1].code)]


def test_an_admin_list_filters_no_column_by_a_number_in_its_url(org, three, root):
    """Django lets a list's URL filter any column of its model (`?applicant_id_number=…`): a
    search by number without the box, its proof or its log. Only the declared filters do."""
    for url, params in (("/admin/dossiers/dossier/", {"applicant_id_number": AN["id_number"]}),
                        ("/admin/dossiers/dossier/",
                         {"applicant_id_number__startswith": "056090"}),
                        ("/admin/dossiers/dossier/", {"applicant_phone__contains": "87654"}),
                        ("/admin/accounts/user/", {"phone": "0387654321"}),
                        ("/admin/accounts/user/", {"personal_id__exact": AN["id_number"]})):
        answer = root.get(url, params)
        assert answer.status_code == 400, (url, params)
        assert three[1].code not in answer.content.decode()
    assert not LOG.exists()
    # The declared filters and a relation's id work as before.
    assert _codes(root.get("/admin/dossiers/dossier/", {"state__exact": three[2].state})) == {
        three[2].code}
    assert root.get("/admin/dossiers/dossier/",
                    {"receiving_unit__id__exact": org.centre.pk}).status_code == 200
    assert root.get("/admin/accounts/user/", {"kind__exact": "staff"}).status_code == 200
