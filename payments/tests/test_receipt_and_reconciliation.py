"""The payment receipt PDF and the daily reconciliation report."""

from datetime import date

from django.utils import timezone

from dossiers.tests.test_pdf_forms import pdf_text
from payments.models import CallbackLog, Payment, Source
from payments.reconciliation import reconciliation_day
from payments.services import payment_confirm
from payments.tests.conftest import at, callback_body, post_callback


def test_paid_payment_has_a_receipt_with_lines_total_and_who_confirmed(client, awaiting):
    _, payment = awaiting()
    assert client.get(f"/thanh-toan/{payment.public_token}/bien-lai.pdf").status_code == 404
    post_callback(client, callback_body(payment, source="bank", transaction_id="FT77"))
    # The receipt opens in the browser that proved the dossier's code and secret (audit9).
    client.post("/tra-cuu/", {"ma": payment.dossier.code, "bi-mat": payment.dossier.lookup_secret})
    response = client.get(f"/thanh-toan/{payment.public_token}/bien-lai.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for part in ("BIÊN LAI THU PHÍ, LỆ PHÍ", "SỞ TƯ PHÁP TỈNH THỬ NGHIỆM", payment.reference,
                 "Lệ phí cấp Phiếu lý lịch tư pháp", "200.000", "205.000", "Trần Thị Bích",
                 "FT77", "Ngân hàng", "Chuyển khoản (VietQR)"):
        assert part in text, part
    # The link was sent by SMS: the receipt shows the ID number masked, never whole.
    number = payment.dossier.applicant_id_number
    assert len(number) > 6
    assert number not in text and f"{number[:3]}{'•' * (len(number) - 6)}{number[-3:]}" in text


def test_the_link_alone_opens_no_receipt(client, awaiting, org, client_for):
    """audit9: the payment link is a path, and the web server's access log (and the gateway's,
    which gets it as the return address) keeps it for its 14 days; the receipt names the payer.
    It opens in a session that proved the dossier's code and secret, to the applicant's account
    and to staff who see the dossier — not to whoever holds the link."""
    dossier, payment = awaiting()
    post_callback(client, callback_body(payment, source="bank", transaction_id="FT78"))
    url = f"/thanh-toan/{payment.public_token}/bien-lai.pdf"
    locked = client.get(url)
    assert locked.status_code == 403 and locked["Cache-Control"] == "no-store"
    html = locked.content.decode()
    assert "Cần tra cứu hồ sơ để tải biên lai" in html and dossier.applicant_name not in html
    # The payment page, which names no one, still opens with the link (a relative may pay).
    assert client.get(f"/thanh-toan/{payment.public_token}/").status_code == 200
    # A wrong secret proves nothing.
    client.post("/tra-cuu/", {"ma": dossier.code, "bi-mat": "ZZZZZZZZ"})
    assert client.get(url).status_code == 403
    client.post("/tra-cuu/", {"ma": dossier.code, "bi-mat": dossier.lookup_secret})
    assert client.get(url).status_code == 200
    # Staff who see the dossier (the panel's link), and not another unit's.
    assert client_for(org.desk).get(url).status_code == 200
    assert client_for(org.other_desk).get(url).status_code == 403


def test_reconciliation_lists_every_difference_of_the_day(client, org, awaiting):
    dossiers = [awaiting() for _ in range(5)]
    (_, by_gateway), (_, by_bank), (_, twice), (_, seen_by_officer), (_, cash) = dossiers
    post_callback(client, callback_body(by_gateway))                       # 205.000 ok
    post_callback(client, callback_body(by_bank, source="bank", transaction_id="FT1"))
    post_callback(client, callback_body(twice, transaction_id="GW2"))
    post_callback(client, callback_body(twice, transaction_id="GW2"))       # replay: not money
    post_callback(client, callback_body(twice, source="bank", transaction_id="FT2"))  # twice
    post_callback(client, callback_body(seen_by_officer, amount=200000, source="bank",
                                        transaction_id="FT3"))             # short by 5.000
    post_callback(client, callback_body(seen_by_officer, reference="HSUNKNOWN234",
                                        source="bank", transaction_id="FT4", amount=50000))
    post_callback(client, callback_body(by_gateway, transaction_id="X"), secret="forged")
    payment_confirm(payment=seen_by_officer, source=Source.OFFICER, method="transfer",
                    actor=org.desk, at=at("2026-03-03 10:00"))
    payment_confirm(payment=cash, source=Source.OFFICER, method="cash", actor=org.desk,
                    at=at("2026-03-03 10:05"))
    assert CallbackLog.objects.count() == 8

    # All callbacks carry paid_at 2026-03-03 but are received "today": report both days.
    today = reconciliation_day(day=timezone.localdate(), payments=Payment.objects.all())
    confirmed_day = reconciliation_day(day=date(2026, 3, 3), payments=Payment.objects.all())
    assert confirmed_day.expected_electronic == 4 * 205000   # gateway, bank, twice, officer
    assert confirmed_day.expected_cash == 205000
    assert today.received_count == 6          # the replay and the forged one do not count
    assert today.received_electronic == 4 * 205000 + 200000 + 50000
    assert today.rejected_unauthenticated == 1
    kinds = sorted((m.kind, m.reference) for m in today.mismatches)
    assert kinds == sorted([("already_paid", twice.reference),
                            ("amount_mismatch", seen_by_officer.reference),
                            ("unknown_reference", "HSUNKNOWN234")])
    # The officer's transfer has a bank report (with the wrong amount), so it is not "unseen".
    assert [m.kind for m in confirmed_day.mismatches] == []


def test_officer_transfer_without_bank_report_is_flagged(client_for, org, awaiting):
    _, payment = awaiting()
    payment_confirm(payment=payment, source=Source.OFFICER, method="transfer", actor=org.desk,
                    at=at("2026-03-03 10:00"))
    report = reconciliation_day(day=date(2026, 3, 3), payments=Payment.objects.all())
    assert [(m.kind, m.reference) for m in report.mismatches] == [("not_received",
                                                                   payment.reference)]
    page = client_for(org.desk).get("/thanh-toan/doi-soat/", {"ngay": "2026-03-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert payment.reference in html and "chưa có thông báo tiền về" in html
    assert "-205.000" in html
    # A day Python's calendar cannot follow (fuzzing: 31/12/9999 overflowed, a 500) or that
    # does not exist is today's page.
    for day in ("9999-12-31", "0001-01-01", "2026-02-30"):
        page = client_for(org.desk).get("/thanh-toan/doi-soat/", {"ngay": day})
        assert page.status_code == 200 and payment.reference not in page.content.decode()
    # Another unit's officer does not see this unit's payments.
    other = client_for(org.other_desk).get("/thanh-toan/doi-soat/", {"ngay": "2026-03-03"})
    assert payment.reference not in other.content.decode()
