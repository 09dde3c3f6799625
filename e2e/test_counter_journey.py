"""The counter journey (issue 3, "Done means"): a dossier handed in at the one-stop desk, moved
through the departments by the people whose job each step is, returned, then followed by the
citizen on the public lookup page with the code and the secret printed on Form 01."""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.steps import act, draft_result, field, hand_over, log_out, sign_result

pytestmark = pytest.mark.browser

# Cấp Phiếu Lý lịch tư pháp (provincial): received at the service centre, decided by the
# Department of Justice — the demo's desk, specialist and head all have a step in it.
PROCEDURE = "3.000333"
APPLICANT = {
    "Họ và tên người nộp / tên tổ chức": "Hoàng Thị Thu Trang",
    "Số định danh cá nhân / mã số doanh nghiệp": "056190003456",
    "Địa chỉ": "25 Yersin, phường Nha Trang, tỉnh Khánh Hòa",
    "Số điện thoại": "0905111222",
    "Thư điện tử": "thutrang.hoang@example.vn",
}


def confirm_code(dossier_code: str) -> str:
    """The code the applicant received for an evaluation the desk entered (audit8): from the
    e-mail they were sent, else from a message still waiting in the outbox (a sent one keeps no
    code, audit9); the dossier's code is taken out of the text first (its date part is six
    digits too)."""
    from django.core import mail

    from notifications.models import Kind, Notification

    for message in reversed(mail.outbox):
        if dossier_code in message.subject and "Mã xác nhận" in message.subject:
            return re.search(r"\b(\d{6})\b", message.body.replace(dossier_code, "")).group(1)
    waiting = [n for n in Notification.objects.filter(
        kind=Kind.EVALUATION_CONFIRM, body__contains=dossier_code).order_by("-pk") if n.secrets]
    assert waiting, "no confirmation code was sent"
    return waiting[0].secrets[0]


def test_counter_journey(page: Page, people, site, shot) -> None:
    citizen = page  # a visitor who never logs in
    desk = people("tiepnhan")  # logs in through the login page
    desk.get_by_role("navigation").get_by_role("link", name="Nhập hồ sơ tại quầy").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Nhập hồ sơ tại quầy")

    # The picker searches as the officer types, without diacritics.
    desk.get_by_label("Tìm thủ tục theo tên hoặc mã").fill("ly lich tu phap")
    desk.locator("#procedure-results").get_by_role("link", name=re.compile(PROCEDURE)).click()
    expect(desk.locator("#variant-area")).to_contain_text(PROCEDURE)
    cases = desk.locator("#variant-area input[type=radio][name=variant]")
    expect(cases.first).to_be_visible()
    cases.first.check()
    # Received and original-seen boxes (the rows also hold the case, not-applicable and lookup
    # answers of dossiers/services/papers.py, left alone here).
    papers = desk.locator("#variant-area table tbody input[type=checkbox][name$=_received], "
                          "#variant-area table tbody input[type=checkbox][name$=_original_seen]")
    expect(papers.first).to_be_visible()
    for label, value in APPLICANT.items():
        field(desk, label).fill(value)
    for i in range(papers.count()):  # every paper received, every original seen
        papers.nth(i).check()
    shot(desk, "counter-form")

    desk.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    expect(desk.locator(".message--success")).to_contain_text("Đã tiếp nhận hồ sơ")
    heading = desk.get_by_role("heading", level=1).inner_text()
    code = heading.removeprefix("Hồ sơ").strip()
    assert re.fullmatch(r"000\.00\.12\.H56-\d{6}-\d{4}", code), heading
    expect(desk.locator(".badge--state")).to_have_text("Đã tiếp nhận")
    shot(desk, "accepted")

    # Form 01 as PDF, fetched with the officer's session as the link would be.
    pdf_href = desk.get_by_role("link", name="Mẫu 01", exact=True).get_attribute("href")
    # A click sends the page as Referer; this request API sends no Sec-Fetch-Site, as a
    # browser before 2023 did not (motcua/search_proof.py request_from_other_site).
    response = desk.context.request.get(site(pdf_href), headers={"Referer": desk.url})
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # The printable Form 01 carries the lookup secret next to the QR code.
    desk.get_by_role("link", name="Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01)").click()
    expect(desk.locator("body")).to_contain_text(code)
    printed = re.search(r"mã bí mật (\S+)\.", desk.locator("body").inner_text())
    assert printed, "Form 01 shows no lookup secret"
    secret = printed.group(1)
    # The address the QR code holds (printed under it too): the lookup with code and secret.
    qr_url = desk.locator("a[href*='/tra-cuu/?']").first.get_attribute("href")
    assert code in qr_url and secret in qr_url
    shot(desk, "form-01")
    desk.go_back()

    act(desk, "Chuyển bước tiếp theo", "Đã chuyển hồ sơ",
        choose={"Người nhận tại Sở Tư pháp": "Trần Văn Minh"})

    specialist = people("chuyenvien.tp")
    specialist.goto(site(f"/ho-so/{code}/"))
    expect(specialist.locator(".badge--state")).to_have_text("Đang xử lý")
    draft_result(specialist, site.url, code)  # the result is drafted before it goes up
    act(specialist, "Chuyển bước tiếp theo", "Đã chuyển hồ sơ",
        choose={"Người nhận tại Sở Tư pháp": "Lê Hoàng Nam"})
    shot(specialist, "specialist-forwarded")

    head = people("lanhdao.tp")
    head.goto(site(f"/ho-so/{code}/"))
    sign_result(head, site.url, code)  # read, then signed through the confirmation page
    shot(head, "head-approved")

    desk.goto(site(f"/ho-so/{code}/"))
    act(desk, "Nhận kết quả tại bộ phận một cửa", "Đã nhận kết quả")
    hand_over(desk, paper="CCCD của người nộp hồ sơ")
    expect(desk.locator(".badge--state")).to_have_text("Đã trả kết quả")

    # The control slip (Form 05) lists every hand-over, from the desk to the head and back.
    desk.get_by_role("link", name="Phiếu kiểm soát quá trình (Mẫu 05)").click()
    slip = desk.locator("table").first
    for who in ("Nguyễn Thị Lan", "Trần Văn Minh", "Lê Hoàng Nam"):
        expect(slip).to_contain_text(who)
    for step in ("Tiếp nhận hồ sơ", "Chuyển xử lý", "Phê duyệt kết quả", "Trả kết quả"):
        expect(slip).to_contain_text(step)
    shot(desk, "control-slip")
    desk.go_back()  # the printable slip has no site header

    # The desk opens the evaluation kiosk for the returned dossier and hands the screen over.
    desk.goto(site("/danh-gia/quay/"))
    desk.get_by_role("link", name=code).click()
    # evaluate_all does not wait for the page the click opens: wait for its form first.
    expect(desk.get_by_role("button", name="Gửi đánh giá")).to_be_visible()
    questions = dict.fromkeys(desk.locator("form input[type=radio]").evaluate_all(
        "els => els.map(e => e.name)"))
    assert len(questions) == 11, questions  # 9 criteria, 2 ratings (domain.md §7)
    for name in questions:
        desk.locator(f"form input[type=radio][name='{name}']").first.check()
    shot(desk, "kiosk-evaluation")
    desk.get_by_role("button", name="Gửi đánh giá").click()
    # Entered in the desk's session, it counts only once the applicant types the code sent to
    # the contact given at the counter (audit8: an officer cannot rate the unit's own work).
    expect(desk.locator("#confirm-title")).to_have_text(f"Xác nhận đánh giá hồ sơ {code}")
    field(desk, "Mã xác nhận").fill(confirm_code(code))
    desk.locator("main").get_by_role("button", name="Xác nhận", exact=True).click()
    expect(desk.locator(".message--success")).to_contain_text(f"Đã ghi nhận đánh giá hồ sơ {code}")
    # One evaluation per dossier: the kiosk will not open a second form for it.
    desk.goto(site(f"/danh-gia/quay/?ma={code}"))
    expect(desk.locator(".message--error")).to_be_visible()
    expect(desk.get_by_role("button", name="Gửi đánh giá")).to_have_count(0)
    log_out(desk)  # the desk's window: signing out works too

    # The citizen, not logged in, follows the dossier with the code and the Form 01 secret.
    citizen.goto(site("/tra-cuu/"))
    citizen.get_by_label("Mã hồ sơ").fill(code)
    citizen.get_by_label("Mã bí mật hoặc 4 số cuối điện thoại").fill(secret)
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.get_by_role("heading", name=f"Hồ sơ {code}")).to_be_visible()
    expect(citizen.locator(".badge--state")).to_have_text("Đã trả kết quả")
    shot(citizen, "public-lookup")
    # The signed electronic result is offered for download right there.
    result = citizen.get_by_role("link", name=re.compile(r"^Tải kết quả")).first
    response = citizen.context.request.get(site(result.get_attribute("href")),
                                           headers={"Referer": citizen.url})
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    # Scanning the QR code on Form 01 opens the same page, both factors already in the address;
    # the secret sits after "#" (never sent to the server) and is wiped from the address bar.
    assert f"#bi-mat={secret}" in qr_url
    citizen.goto(qr_url)
    expect(citizen.get_by_role("heading", name=f"Hồ sơ {code}")).to_be_visible()
    expect(citizen.locator(".badge--state")).to_have_text("Đã trả kết quả")
    assert secret not in citizen.url
