"""Issue #17: a NUL character anywhere a request carries text is a 400, never a 500 (PostgreSQL
cannot compare with it), handled once for every request by motcua.nul.NulRefusalMiddleware."""

import pytest
from django.test import Client

from accounts.tokens import token_issue

PATHS = [
    "/api/v1/procedures/?level=%00",
    "/api/v1/procedures/%00/",
    "/api/v1/dossiers/?state=%00",
    "/tra-cuu/?ma=%00abc&bi-mat=1234",
    "/thu-tuc/%00/",
    "/thanh-toan/%00/",
    "/danh-gia/ho-so/%00/",
    "/xac-thuc/?%00=1",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PATHS)
def test_nul_in_path_or_query_is_a_400(org, url):
    token = token_issue(org.desk)
    response = Client().get(url, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 400
    if url.startswith("/api/"):
        error = response.json()["error"]
        assert error["code"] == "invalid" and "NUL" in error["message"]
        assert "NUL" in error["message_en"]
    else:
        assert "NUL" in response.content.decode()


@pytest.mark.django_db
def test_nul_in_a_form_field_is_a_400_in_the_visitors_language(org):
    client = Client()
    response = client.post("/tra-cuu/", {"ma": "A\x00B", "bi-mat": "1234"})
    assert response.status_code == 400
    assert "ký tự NUL" in response.content.decode()
    english = client.post("/tra-cuu/", {"ma": "A\x00B"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "NUL character" in english.content.decode()


@pytest.mark.django_db
def test_a_cookie_with_nul_is_dropped_not_looked_up(org):
    client = Client()
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/thu-tuc/").status_code == 200
