"""Codes sent to typed phones and e-mails without an account signed in are bounded per client
address (accounts/code_send_limits.py; the audit11 review in docs/security.md).

Until audit11 a script signing up a new phone number at each request had the authority's SMS
gateway send a code to each, without end: each account was limited, the sender was not.
"""

import re

import pytest
from django.test import Client

from accounts.models import CodeSendTry, User, VerificationCode

PASSWORD = "Mot-cua-2026!"
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.MOTCUA_CODE_SEND_MAX_PER_ADDRESS = 3
    settings.MOTCUA_CODE_SEND_WINDOW_SECONDS = 3600


def _signup(client: Client, phone: str, address: str = ADDRESS):
    return client.post("/tai-khoan/dang-ky/", {
        "kind": "citizen", "identifier": phone, "full_name": "Nguyễn Văn An", "personal_id": "",
        "organization_name": "", "tax_code": "", "password": PASSWORD, "password2": PASSWORD,
    }, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_sign_ups_from_one_address_stop_sending_codes_past_the_limit(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for phone in ("0912000001", "0912000002", "0912000003"):
            assert _signup(Client(), phone).status_code == 302
        refused = _signup(Client(), "0912000004")
    assert refused.status_code == 429
    assert "quá nhiều yêu cầu gửi mã xác minh" in refused.content.decode()
    # Nothing written, nothing sent for the fourth number.
    assert not User.objects.filter(username="0912000004").exists()
    assert VerificationCode.objects.count() == 3
    # Another address is not held back by this one.
    assert _signup(Client(), "0912000004", address="198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_a_form_refused_for_itself_is_not_counted(client):
    for _ in range(4):
        bad = client.post("/tai-khoan/dang-ky/", {"kind": "citizen", "identifier": "0912000001"},
                          REMOTE_ADDR=ADDRESS)
        assert bad.status_code == 422
    assert not CodeSendTry.objects.exists()
    assert _signup(client, "0912000001").status_code == 302


@pytest.mark.django_db
def test_the_forgotten_password_and_a_code_sent_again_count_too_and_tell_nothing(client):
    User.objects.create_user("0912345678", phone="0912345678", password=PASSWORD,
                             kind=User.Kind.CITIZEN)
    for identifier in ("0912345678", "0911111111", "0912345678"):
        r = Client().post("/tai-khoan/quen-mat-khau/", {"identifier": identifier},
                          REMOTE_ADDR=ADDRESS)
        assert r.status_code == 302
    # Past the limit the answer is the same whether an account signs in with it or not.
    known = Client().post("/tai-khoan/quen-mat-khau/", {"identifier": "0912345678"},
                          REMOTE_ADDR=ADDRESS)
    unknown = Client().post("/tai-khoan/quen-mat-khau/", {"identifier": "0911111111"},
                            REMOTE_ADDR=ADDRESS)
    assert known.status_code == unknown.status_code == 429
    token = re.compile(r'csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')

    def seen(response, number: str) -> str:
        return token.sub("", response.content.decode()).replace(number, "X")

    assert seen(known, "0912345678") == seen(unknown, "0911111111")
    sent = VerificationCode.objects.count()
    # "Gửi lại mã" from the sign-up's session is counted from the same budget.
    pending = Client()
    assert _signup(pending, "0912000009", address="198.51.100.9").status_code == 302
    again = pending.post("/tai-khoan/xac-minh/gui-lai/", REMOTE_ADDR=ADDRESS, follow=True)
    assert "quá nhiều yêu cầu gửi mã xác minh" in again.content.decode()
    assert VerificationCode.objects.count() == sent + 1  # the sign-up's own code only
    assert CodeSendTry.objects.filter(key=ADDRESS).count() == 3
