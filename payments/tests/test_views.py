"""The applicant's payment page and its link from the public lookup."""

from vietnam_qr_pay import QRPay

from payments.selectors import payment_qr_payload


def test_lookup_result_links_to_the_payment_page(client, awaiting):
    dossier, payment = awaiting()
    page = client.post("/tra-cuu/", {"ma": dossier.code, "bi-mat": dossier.lookup_secret})
    assert page.status_code == 200
    assert f"/thanh-toan/{payment.public_token}/" in page.content.decode()


def test_payment_page_shows_amount_lines_and_a_vietqr_code(client, awaiting):
    _, payment = awaiting()
    page = client.get(f"/thanh-toan/{payment.public_token}/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    for text in ("205.000", "Lệ phí cấp Phiếu lý lịch tư pháp", "100.000", "200.000",
                 payment.reference, "0071000123456", "data:image/svg+xml;base64,",
                 "Thanh toán qua cổng"):
        assert text in html, text
    qr = QRPay(payment_qr_payload(payment))
    assert qr.is_valid and qr.amount == "205000" and qr.additional_data.purpose == \
        payment.reference


def test_exempt_payment_page_shows_no_qr_and_the_reason(client, awaiting):
    _, payment = awaiting(data={"exemption": "Trẻ em dưới 6 tuổi"})
    html = client.get(f"/thanh-toan/{payment.public_token}/").content.decode()
    assert "Miễn: Trẻ em dưới 6 tuổi" in html
    assert "data:image/svg+xml" not in html and "Thanh toán qua cổng" not in html


def test_unknown_token_is_a_404(client, db):
    assert client.get("/thanh-toan/khong-co/").status_code == 404


def test_gateway_down_sends_the_applicant_back_with_a_message(client, awaiting, settings):
    settings.MOTCUA_PAYGATE_URL = "http://127.0.0.1:9/"  # nothing listens there
    _, payment = awaiting()
    response = client.post(f"/thanh-toan/{payment.public_token}/cong-thanh-toan/", follow=True)
    assert response.status_code == 200
    assert "Cổng thanh toán tạm thời không phản hồi" in response.content.decode()
    payment.refresh_from_db()
    assert payment.state == "created"


def test_an_unconfigured_gateway_is_not_called(client, awaiting, settings):
    settings.MOTCUA_PAYGATE_SECRET = ""
    _, payment = awaiting()
    response = client.post(f"/thanh-toan/{payment.public_token}/cong-thanh-toan/", follow=True)
    assert "Cổng thanh toán tạm thời không phản hồi" in response.content.decode()
    payment.refresh_from_db()
    assert payment.state == "created" and payment.events.count() == 1


def test_lookup_does_not_offer_an_expired_demand(client, org, awaiting):
    from dossiers.services import dossier_act
    from payments.tests.conftest import at

    dossier, payment = awaiting()
    dossier_act(dossier=dossier, actor=org.desk, action="withdraw", reason="Xin rút",
                at=at("2026-03-03 09:00"))
    page = client.post("/tra-cuu/", {"ma": dossier.code, "bi-mat": dossier.lookup_secret})
    assert page.status_code == 200
    assert payment.public_token not in page.content.decode()
