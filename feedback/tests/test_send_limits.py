"""How many items one sender may file from the public form and API (audit7).

Each public item sends a receipt by SMS and e-mail, from the authority, to whatever phone and
address were typed, and goes on to the national PAKN system. Until audit7 nothing limited how
many: a script filed items without end, and with them text messages and e-mails in the
authority's name to anyone's number (feedback/services/sending.py).
"""

from django.test import Client
from rest_framework.test import APIClient

from feedback.models import Channel, Feedback, NationalOutbox
from notifications.models import Notification

FORM = {"title": "Lệ phí thu sai", "content": "Thu lệ phí cao hơn mức công bố.",
        "sender_name": "Đỗ Minh Tâm", "sender_phone": "0903111222", "unit": ""}
VICTIM = "0903111222"


def _post_form(address: str, **extra):
    return Client().post("/phan-anh/gui/", {**FORM, **extra}, REMOTE_ADDR=address)


def _post_api(address: str, **extra):
    return APIClient().post("/api/v1/feedback/", {**FORM, **extra}, format="json",
                            REMOTE_ADDR=address)


def _texts_to(phone: str) -> int:
    return Notification.objects.filter(channel="sms", recipient=phone).count()


def test_one_number_receives_a_bounded_number_of_receipts(pakn, settings):
    settings.MOTCUA_FEEDBACK_SEND_MAX_PER_CONTACT = 3
    settings.MOTCUA_SMS_URL = "http://127.0.0.1:9/sms"  # queued only: nothing is sent in tests
    # From ever new addresses (a botnet, a carrier's pool), by the form and the API alike,
    # the number written with spaces or +84: the same person's phone.
    for n, phone in enumerate(["0903111222", "0903 111 222", "+84903111222"]):
        post = _post_form if n % 2 else _post_api
        r = post(f"198.51.100.{n + 1}", sender_phone=phone)
        assert r.status_code in (201, 302), r.content[:500]
    assert _texts_to(VICTIM) == 3
    r = _post_form("198.51.100.50")
    assert r.status_code == 429
    assert "24 giờ" in r.content.decode()
    r = _post_api("198.51.100.51", sender_phone="+84 903 111 222")
    assert r.status_code == 429 and r.json()["error"]["code"] == "feedback_send_limit"
    assert Feedback.objects.count() == 3 and _texts_to(VICTIM) == 3
    assert NationalOutbox.objects.count() == 3
    # An e-mail address is a contact too.
    for n in range(3):
        assert _post_api(f"203.0.113.{n + 1}", sender_phone="",
                         sender_email="Nan.Nhan@example.vn").status_code == 201
    assert _post_api("203.0.113.9", sender_phone="",
                     sender_email="nan.nhan@example.vn").status_code == 429
    # Someone else's number is not held up by it.
    assert _post_form("198.51.100.52", sender_phone="0914222333").status_code == 302


def test_one_address_files_a_bounded_number_of_items(pakn, settings):
    settings.MOTCUA_FEEDBACK_SEND_MAX_PER_ADDRESS = 2
    for n in range(2):
        assert _post_api("192.0.2.7", sender_phone=f"091422233{n}").status_code == 201
    r = _post_api("192.0.2.7", sender_phone="0914222339")
    assert r.status_code == 429 and r.json()["error"]["code"] == "feedback_send_limit"
    assert _post_form("192.0.2.7", sender_phone="0914222338").status_code == 429
    assert Feedback.objects.count() == 2 and _texts_to("0914222339") == 0
    # Refused tries are not counted: another address, and this one later, are not punished
    # for them; a refused form costs nothing either.
    assert _post_form("192.0.2.8", sender_phone="0914222338").status_code == 302
    assert _post_form("192.0.2.8", sender_phone="0914222337", title="").status_code == 400
    assert _post_form("192.0.2.8", sender_phone="0914222337").status_code == 302
    # A unit's officer typing letters and calls is not counted against the office's address.
    officer = APIClient()
    officer.force_authenticate(pakn.receiver)
    for _n in range(3):
        r = officer.post("/api/v1/feedback/", {**FORM, "unit": pakn.centre.code,
                                              "channel": Channel.LETTER},
                         format="json", REMOTE_ADDR="192.0.2.7")
        assert r.status_code == 201, r.json()
