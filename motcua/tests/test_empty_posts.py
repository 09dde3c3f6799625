"""A form sent back empty says what is missing, in Vietnamese, and keeps what was typed.

`Form(request.POST or None)` left the form unbound on an empty POST (an empty QueryDict is
falsy), so these pages came back as if the button had not been pressed (motcua/posted.py)."""

import re

import pytest
from django.urls import reverse

REQUIRED = "Trường này là bắt buộc."


def _errors(response) -> list[str]:
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>([^<]*)</li>',
                      response.content.decode())


@pytest.mark.parametrize("name", ["feedback:send", "accounts:signup", "accounts:password_forgot"])
def test_an_empty_public_form_says_what_is_missing(db, client, name):
    response = client.post(reverse(name), {})
    assert response.status_code in (400, 422)
    assert _errors(response)
    assert REQUIRED in _errors(response) or "Chưa nhập tiêu đề phản ánh, kiến nghị." in _errors(
        response)


def test_what_was_typed_stays_and_the_rest_is_asked_for(client, org):
    empty = client.post(reverse("feedback:send"), {})
    assert "Chưa nhập tiêu đề phản ánh, kiến nghị." in _errors(empty)
    response = client.post(reverse("feedback:send"), {"title": "Lệ phí cao hơn niêm yết"})
    assert response.status_code == 400
    assert 'value="Lệ phí cao hơn niêm yết"' in response.content.decode()
    assert _errors(response) == ["Chưa nhập nội dung phản ánh, kiến nghị.",
                                 "Chưa nhập họ và tên người gửi.",
                                 "Cần số điện thoại hoặc thư điện tử để cơ quan trả lời ông/bà."]


def test_an_empty_staff_or_account_form_says_what_is_missing(client_for, org):
    desk = client_for(org.desk).post(reverse("accounts:desk_identity"), {})
    assert REQUIRED in _errors(desk)
    profile = client_for(org.citizen).post(reverse("accounts:profile"), {})
    assert profile.status_code in (200, 400, 422) and REQUIRED in _errors(profile)
