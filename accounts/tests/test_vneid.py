"""VNeID log-in: the account rules, and the full code flow against the real simulator."""

from datetime import date
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from django.test import Client

from accounts.models import IdentityProof, User
from accounts.selectors import proven_ids
from accounts.services import vneid_user_for_claims
from accounts.tests.idp_server import CALLBACK, PASSWORD
from motcua.errors import DomainError

CLAIMS = {"sub": "7", "personal_id": "079195000123", "name": "Trần Thị Bình",
          "birthdate": "1995-03-12", "email": "binh@example.vn", "phone_number": "0912000123"}


# --- the rules ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_first_login_creates_a_verified_citizen():
    user = vneid_user_for_claims(claims=CLAIMS)
    assert user.username == "vneid-079195000123" and user.kind == User.Kind.CITIZEN
    assert user.vneid_verified and not user.has_usable_password()
    assert (user.full_name, user.birth_date) == ("Trần Thị Bình", date(1995, 3, 12))
    assert vneid_user_for_claims(claims=CLAIMS | {"name": "Trần Thị Bình Mới"}).pk == user.pk
    user.refresh_from_db()
    assert user.full_name == "Trần Thị Bình Mới"  # the identity provider is authoritative


@pytest.mark.django_db
def test_bad_personal_id_claim_is_refused():
    with pytest.raises(DomainError, match="số định danh cá nhân hợp lệ"):
        vneid_user_for_claims(claims=CLAIMS | {"personal_id": "099195000123"})
    assert not User.objects.exists()


@pytest.mark.django_db
def test_local_account_claiming_the_id_is_not_taken_over():
    # Issue #17: a number typed into a password account proves nothing. The VNeID log-in of the
    # number's holder opens an account of its own and takes the number from the typed one.
    squatter = User.objects.create_user(username="0987654321", password="x-Test-2026",
                                        personal_id="079195000123")
    holder = vneid_user_for_claims(claims=CLAIMS)
    assert holder.pk != squatter.pk and holder.vneid_verified
    assert holder.identity_proofs.get().method == IdentityProof.Method.VNEID
    squatter.refresh_from_db()
    assert squatter.personal_id is None and not squatter.vneid_verified
    # The squatter cannot link the number back: it is proven elsewhere now.
    with pytest.raises(DomainError, match="tài khoản khác"):
        vneid_user_for_claims(claims=CLAIMS, current_user=squatter)


@pytest.mark.django_db
def test_own_password_account_links_vneid_from_inside():
    mine = User.objects.create_user(username="0987654321", password="x-Test-2026",
                                    personal_id="079195000123")
    linked = vneid_user_for_claims(claims=CLAIMS, current_user=mine)
    assert linked.pk == mine.pk and linked.vneid_verified and linked.has_usable_password()
    assert proven_ids(User.objects.get(pk=mine.pk)) == {"079195000123"}
    # The next VNeID log-in opens that same account.
    assert vneid_user_for_claims(claims=CLAIMS).pk == mine.pk


@pytest.mark.django_db
def test_linking_an_id_that_belongs_elsewhere_is_refused():
    vneid_user_for_claims(claims=CLAIMS)
    other = User.objects.create_user(username="khac@example.vn", password="x-Test-2026")
    with pytest.raises(DomainError, match="tài khoản khác"):
        vneid_user_for_claims(claims=CLAIMS, current_user=other)


# --- the whole flow against the simulator -----------------------------------------------------

def _idp_login(authorize_url: str, *, username: str, password: str) -> httpx.Response:
    """Be the citizen's browser at the identity provider until it sends us back to motcua."""
    with httpx.Client(timeout=10) as browser:
        r = browser.get(authorize_url)
        while r.is_redirect and not r.headers["location"].startswith("http://testserver"):
            r = browser.get(urljoin(str(r.url), r.headers["location"]))
        if r.status_code == 200 and "csrfmiddlewaretoken" in r.text:  # the login form
            query = parse_qs(urlsplit(str(r.url)).query)
            r = browser.post(str(r.url).split("?")[0], data={
                "username": username, "password": password, "next": query["next"][0],
                "csrfmiddlewaretoken": browser.cookies["idp_csrftoken"]},
                headers={"Referer": str(r.url)})
            while r.is_redirect and not r.headers["location"].startswith("http://testserver"):
                r = browser.get(urljoin(str(r.url), r.headers["location"]))
        return r


def _start(client, vneid, next_url: str = "") -> str:
    r = client.get("/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
    assert r.status_code == 302
    location = r["Location"]
    assert location.startswith(vneid.issuer + "/authorize/")
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]  # PKCE
    assert query["redirect_uri"] == [CALLBACK]
    return location


def _callback(client, idp_response: httpx.Response):
    assert idp_response.is_redirect, idp_response.text[:500]
    back = idp_response.headers["location"]
    assert back.startswith(CALLBACK + "?")
    return client.get("/oidc/callback/?" + urlsplit(back).query)


@pytest.mark.django_db
def test_vneid_code_flow_creates_and_logs_in_the_citizen(client, vneid):
    r = _idp_login(_start(client, vneid), username="079195000123", password=PASSWORD)
    r = _callback(client, r)
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/thong-tin-ca-nhan/"
    user = User.objects.get(personal_id="079195000123")
    assert user.vneid_verified and user.full_name == "Trần Thị Bình"
    assert user.birth_date == date(1995, 3, 12) and user.phone == "0912000123"
    assert int(client.session["_auth_user_id"]) == user.pk
    page = client.get("/tai-khoan/thong-tin-ca-nhan/").content.decode()
    assert "Đã xác thực" in page and "Trần Thị Bình" in page

    # A second log-in opens the same account, and honours ?next=.
    client.post("/tai-khoan/dang-xuat/")
    r = _callback(client, _idp_login(_start(client, vneid, "/thu-tuc/"),
                                     username="079195000123", password=PASSWORD))
    assert r["Location"] == "/thu-tuc/"
    assert User.objects.filter(personal_id="079195000123").count() == 1
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_wrong_password_at_the_idp_never_reaches_motcua(client, vneid):
    r = _idp_login(_start(client, vneid), username="079195000123", password="sai-mat-khau")
    assert r.status_code == 200 and "không đúng" in r.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_id_token_from_an_unexpected_issuer_is_rejected(client, vneid, settings):
    # The library checks neither issuer nor audience; accounts.vneid does.
    r = _idp_login(_start(client, vneid), username="001088004567", password=PASSWORD)
    settings.MOTCUA_OIDC_ISSUER = "https://vneid.gov.vn.invalid"
    r = _callback(client, r)
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/dang-nhap/"
    assert not User.objects.exists() and "_auth_user_id" not in client.session
    assert "không thành công" in client.get("/tai-khoan/dang-nhap/").content.decode()


@pytest.mark.django_db
def test_refused_token_request_is_a_failed_login_not_a_crash(client, vneid, settings):
    r = _idp_login(_start(client, vneid), username="001088004567", password=PASSWORD)
    settings.OIDC_RP_CLIENT_SECRET = "sai-bi-mat"
    r = _callback(client, r)
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/dang-nhap/"
    assert not User.objects.exists()


@pytest.mark.django_db
def test_local_account_links_vneid_from_its_profile(client, vneid):
    local = User.objects.create_user(username="congdan@example.vn", password="x-Test-2026",
                                     full_name="Nguyen Van An", personal_id="056090001234")
    # Linking from inside the account proves the number it typed…
    client.force_login(local)
    r = client.post("/tai-khoan/lien-ket-vneid/")
    assert r.status_code == 302 and r["Location"].startswith("/oidc/authenticate/")
    r = client.get(r["Location"])
    r = _callback(client, _idp_login(r["Location"], username="056090001234", password=PASSWORD))
    assert r["Location"] == "/tai-khoan/thong-tin-ca-nhan/"
    local.refresh_from_db()
    assert local.vneid_verified and local.full_name == "Nguyễn Văn An"
    assert local.birth_date == date(1990, 5, 20)
    assert int(client.session["_auth_user_id"]) == local.pk
    # …and from then on a VNeID log-in alone opens that account.
    client.logout()
    r = _callback(client, _idp_login(_start(client, vneid), username="056090001234",
                                     password=PASSWORD))
    assert r["Location"] == "/tai-khoan/thong-tin-ca-nhan/"
    assert int(client.session["_auth_user_id"]) == local.pk


@pytest.mark.django_db
def test_vneid_login_of_a_typed_number_opens_its_own_account(client, vneid):
    typed = User.objects.create_user(username="ke-gia@example.vn", password="x-Test-2026",
                                     personal_id="056090001234")
    r = _callback(client, _idp_login(_start(client, vneid), username="056090001234",
                                     password=PASSWORD))
    assert r["Location"] == "/tai-khoan/thong-tin-ca-nhan/"
    holder = User.objects.get(personal_id="056090001234")
    assert holder.pk != typed.pk and int(client.session["_auth_user_id"]) == holder.pk
    typed.refresh_from_db()
    assert typed.personal_id is None


@pytest.mark.django_db
def test_a_deactivated_account_loses_its_vneid_sessions(client):
    """audit8: Django asks the backend that signed a session in for its user at each request;
    the password backend refuses an inactive account, mozilla-django-oidc's did not. An account
    an administrator deactivated (a compromised or closed one) kept every session opened with
    VNeID. Now it is signed out at its next request, as with a password."""
    user = User.objects.create_user(username="079195000999", kind=User.Kind.CITIZEN,
                                    full_name="Nguyễn Văn Khóa")
    client.force_login(user, backend="accounts.vneid.VNeIDBackend")
    assert client.get("/tai-khoan/thong-tin-ca-nhan/").status_code == 200
    password_browser = Client()
    password_browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    User.objects.filter(pk=user.pk).update(is_active=False)
    for browser in (client, password_browser):
        r = browser.get("/tai-khoan/thong-tin-ca-nhan/")
        assert r.status_code == 302 and r["Location"].startswith("/tai-khoan/dang-nhap/")
