"""The error pages speak Vietnamese (English on request) and show the reason the code gives."""

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404
from django.test import Client, RequestFactory

from motcua.error_pages import _reason, server_error

pytestmark = pytest.mark.django_db


def test_an_unknown_page_answers_in_vietnamese_in_the_site_layout():
    r = Client().get("/khong-co-trang-nay/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "Không tìm thấy trang hoặc hồ sơ bạn cần." in html
    assert "Tra cứu hồ sơ" in html and "Not Found" not in html


def test_the_page_shows_the_reason_a_view_gives():
    # The public result link of a result this browser never looked up.
    r = Client().get("/ket-qua/0b8f1b7e-6d2c-4a8e-9a51-2f8f0f0c1d2e/")
    assert r.status_code == 404
    assert "Liên kết tải kết quả không hợp lệ hoặc đã hết hạn." in r.content.decode()


def test_a_refusal_shows_its_reason():
    citizen = get_user_model().objects.create_user(username="cong-dan", password="x")
    client = Client()
    client.force_login(citizen)
    r = client.get("/ho-so/hop/all/")
    assert r.status_code == 403
    assert "Trang này chỉ dành cho cán bộ có vai trò tại một đơn vị." in r.content.decode()


def test_english_on_request():
    client = Client()
    client.cookies["django_language"] = "en"
    r = client.get("/khong-co-trang-nay/")
    assert r.status_code == 404
    assert "could not be found" in r.content.decode()


def test_django_s_own_messages_are_not_shown():
    assert _reason(Http404("No Dossier matches the given query.")) == ""
    assert _reason(Http404({"path": "x"})) == ""
    assert _reason(Http404("Không tìm thấy hồ sơ.")) == "Không tìm thấy hồ sơ."


def test_the_api_answers_its_own_error_shape_for_a_path_no_view_serves():
    r = Client().get("/api/v1/khong-co/")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    assert r.json()["error"]["message"] == "Không tìm thấy."


def test_a_failure_gets_a_page_without_the_database():
    request = RequestFactory().get("/ho-so/")
    r = server_error(request)
    assert r.status_code == 500
    assert "Hệ thống gặp lỗi" in r.content.decode()
    api = server_error(RequestFactory().get("/api/v1/dossiers/"))
    assert api.status_code == 500
    assert api.content.decode().count("server_error") == 1
