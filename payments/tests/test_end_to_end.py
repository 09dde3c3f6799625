"""request_payment → pay on the gateway simulator (a real server process) → its signed callback
to this installation (pytest-django's live server) → the dossier back in processing."""

import re

import httpx
import pytest

from dossiers.models import State
from motcua.testing import answers, free_port, manage_command, server_process
from payments.models import PaymentState
from payments.tests.conftest import MERCHANT, SECRET


@pytest.fixture(scope="session")
def paygate():
    """`manage.py paygate_simulator` as its own process, as an operator starts it for the demo."""
    command = manage_command("paygate_simulator", "--merchant", MERCHANT, "--secret", SECRET)
    with server_process(command, ready=answers("/orders/none")) as base:
        yield base + "/"


def _to_gateway(browser: httpx.Client, token: str) -> str:
    """The applicant opens the payment page and presses "Thanh toán qua cổng"."""
    page = browser.get(f"/thanh-toan/{token}/")
    assert page.status_code == 200 and "Thanh toán qua cổng" in page.text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    sent = browser.post(f"/thanh-toan/{token}/cong-thanh-toan/",
                        data={"csrfmiddlewaretoken": csrf},
                        headers={"Referer": str(page.url)})
    assert sent.status_code == 302, sent.text
    return sent.headers["Location"]


@pytest.fixture
def browser(live_server):
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        yield client


def test_paying_on_the_gateway_moves_the_dossier_on(transactional_db, paygate, settings,
                                                    browser, awaiting):
    settings.MOTCUA_PAYGATE_URL = paygate
    dossier, payment = awaiting(channel=2)
    pay_url = _to_gateway(browser, payment.public_token)
    assert pay_url.startswith(paygate + "pay/")
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING and payment.gateway_order_id

    gateway_page = httpx.get(pay_url, timeout=10)
    assert "105000 đồng" in gateway_page.text and payment.reference in gateway_page.text
    paid = httpx.post(pay_url, data={"choice": "pay"}, timeout=30)
    assert paid.status_code == 303, paid.text
    back = browser.get(paid.headers["Location"])
    assert "Thanh toán thành công" in back.text

    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert (payment.state, payment.confirmed_by, payment.method) == ("paid", "gateway",
                                                                     "gateway")
    assert payment.transaction_id.startswith("SIM")
    assert dossier.state == State.PROCESSING
    event = dossier.events.order_by("-seq").first()
    assert (event.action, event.actor_name) == ("mark_paid", "Hệ thống thanh toán")
    assert event.data["confirmed_by"] == "gateway" and event.data["online"] is True
    assert list(payment.events.values_list("action", flat=True)) == ["create", "start",
                                                                     "confirm"]
    # The simulator kept what our endpoint answered.
    order = httpx.get(paygate + "orders/" + payment.gateway_order_id, timeout=10).json()
    assert order["callbacks"][0]["status"] == 200


def test_cancelling_on_the_gateway_leaves_the_dossier_waiting(transactional_db, paygate,
                                                              settings, browser, awaiting):
    settings.MOTCUA_PAYGATE_URL = paygate
    dossier, payment = awaiting()
    pay_url = _to_gateway(browser, payment.public_token)
    cancelled = httpx.post(pay_url, data={"choice": "cancel"}, timeout=30)
    assert cancelled.status_code == 303
    assert "Thanh toán chưa thành công" in browser.get(cancelled.headers["Location"]).text
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.state == PaymentState.FAILED
    assert dossier.state == State.AWAITING_PAYMENT


def test_the_simulator_refuses_an_order_signed_with_another_secret(paygate, settings, db):
    from motcua.errors import DomainError
    from payments.gateway import HttpGateway

    gateway = HttpGateway(url=paygate, merchant=MERCHANT, secret="wrong-secret", timeout=5)
    with pytest.raises(DomainError) as exc:
        gateway.create_order(reference="HSX", amount=1, description="", return_url="http://x/",
                             callback_url="http://x/")
    assert exc.value.code == "gateway_unavailable" and "401" in exc.value.message_en


def test_a_gateway_payment_is_refunded_through_the_gateway(transactional_db, paygate, settings,
                                                          browser, awaiting, org):
    from motcua.errors import DomainError, NotAllowed
    from payments.gateway import HttpGateway
    from payments.services import payment_refund

    settings.MOTCUA_PAYGATE_URL = paygate
    _, payment = awaiting(channel=2)
    paid = httpx.post(_to_gateway(browser, payment.public_token), data={"choice": "pay"},
                      timeout=30)
    assert paid.status_code == 303
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID

    # No answer from the gateway: nothing is recorded, the payment stays paid.
    settings.MOTCUA_PAYGATE_URL = f"http://127.0.0.1:{free_port()}/"
    with pytest.raises(DomainError) as down:
        payment_refund(payment=payment, actor=org.desk, reason="Nộp trùng hai lần")
    assert down.value.code == "gateway_unavailable" and "chưa được hoàn" in down.value.message
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID

    settings.MOTCUA_PAYGATE_URL = paygate
    payment = payment_refund(payment=payment, actor=org.desk, reason="Nộp trùng hai lần")
    assert payment.state == PaymentState.REFUNDED
    event = payment.events.order_by("-seq").first()
    assert event.action == "refund" and event.data["refund_id"].startswith("RF")
    order = httpx.get(paygate + "orders/" + payment.gateway_order_id, timeout=10).json()
    assert (order["state"], order["refund_id"]) == ("refunded", event.data["refund_id"])
    assert order["refund_reason"] == "Nộp trùng hai lần"
    # Asked again: refused here (already refunded), and by the gateway if asked directly.
    with pytest.raises(NotAllowed):
        payment_refund(payment=payment, actor=org.desk, reason="Nộp trùng hai lần")
    gateway = HttpGateway(url=paygate, merchant=MERCHANT, secret=SECRET, timeout=5)
    with pytest.raises(DomainError, match="already refunded") as again:
        gateway.refund(order_id=payment.gateway_order_id, reference=payment.reference,
                       amount=payment.amount, reason="lần hai")
    assert again.value.code == "gateway_refund_refused"
    with pytest.raises(DomainError, match="unknown order"):
        gateway.refund(order_id="ORD000", reference=payment.reference, amount=1, reason="x")
