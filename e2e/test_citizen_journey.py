"""The citizen's online journey (issue 3, "Done means"): find the procedure without diacritics,
read its page, log in, fill the online form with uploads, submit and get a code; answer the
desk's supplement request online; after the result, evaluate the service."""

import io
import re

import pytest
from playwright.sync_api import Page, expect

from e2e.steps import act, draft_result, hand_over, sign_result

pytestmark = pytest.mark.browser

CITIZEN = "congdan"  # Nguyễn Văn An in the demo data
DESK = "tiepnhan.nhatrang"  # the one-stop desk of UBND phường Nha Trang
RECEIVING_UNIT = "Ủy ban nhân dân phường Nha Trang"


def pdf_file(name: str, text: str) -> dict:
    """A real one-page PDF (the upload check reads the content, not the name)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return {"name": name, "mimeType": "application/pdf", "buffer": buffer.getvalue()}


def test_citizen_online_journey(page: Page, people, site, shot) -> None:
    # 1. Find the procedure from the public catalogue, typed without diacritics.
    page.goto(site("/thu-tuc/"))
    page.get_by_label("Tên thủ tục, mã thủ tục hoặc việc bạn cần làm").fill("dang ky thuong tru")
    page.get_by_role("button", name="Tìm kiếm").click()
    first = page.locator("#catalog-results ol.results > li").first.get_by_role("link")
    expect(first).to_have_text("Đăng ký thường trú")
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký thường trú")
    shot(page, "procedure-page")

    # 2. Start the online submission; the site asks the citizen to log in first.
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(CITIZEN)
    page.get_by_label("Mật khẩu", exact=True).fill("motcua@2026")
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
    page.locator("input[name=variant]").first.check()
    page.get_by_label("Nơi tiếp nhận hồ sơ").select_option(label=RECEIVING_UNIT)
    page.get_by_role("button", name="Bắt đầu khai hồ sơ").click()

    # 3. The form comes pre-filled from the account; attach a PDF to every paper, save a draft.
    expect(page.get_by_role("heading", level=1)).to_have_text("Khai hồ sơ trực tuyến")
    expect(page.get_by_label(re.compile(r"^Họ và tên người nộp"))).to_have_value("Nguyễn Văn An")
    uploads = page.locator("input[type=file]")
    for i in range(uploads.count()):
        uploads.nth(i).set_input_files(pdf_file(f"giay-to-{i + 1}.pdf", f"Giay to {i + 1}"))
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("ul.files li").first).to_contain_text("giay-to-1.pdf")
    shot(page, "draft-saved")

    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Hồ sơ \S+-\d{6}-\d{4}$"))
    code = heading.inner_text().removeprefix("Hồ sơ").strip()
    expect(page.locator(".message--success")).to_contain_text(code)
    assert code.startswith("000.31.01.H56-")  # numbered by the receiving commune
    expect(page.locator(".badge--state")).to_be_visible()
    shot(page, "submitted")

    # 4. The desk asks for a supplement before accepting.
    desk = people(DESK)
    desk.goto(site(f"/ho-so/{code}/"))
    desk.locator("section[aria-labelledby=actions-title] .button-row").first.get_by_role(
        "link", name="Yêu cầu bổ sung hồ sơ", exact=True).click()
    desk.locator("#action-panel input[type=checkbox]").first.check()
    reason = desk.locator("#action-panel textarea")
    if reason.count():
        reason.first.fill("Bản chụp giấy tờ chưa rõ nét, đề nghị nộp lại.")
    desk.get_by_role("button", name="Xác nhận: Yêu cầu bổ sung hồ sơ").click()
    expect(desk.locator(".message--success")).to_contain_text("Đã yêu cầu bổ sung")

    # 5. The citizen sees the request in "Hồ sơ của tôi" and answers it with a new file.
    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    page.get_by_role("link", name=re.compile(re.escape(code))).first.click()
    expect(page.locator(".missing-documents")).to_be_visible()
    shot(page, "supplement-requested")
    asked = page.locator("form[action$='/bo-sung/'] .field", has_text="(cần bổ sung)")
    asked.locator("input[type=file]").first.set_input_files(
        pdf_file("bo-sung.pdf", "Giay to bo sung"))
    page.get_by_role("button", name="Gửi bổ sung").click()
    expect(page.locator(".missing-documents")).to_have_count(0)
    expect(page.locator("section[aria-labelledby=papers-title]")).to_contain_text("bo-sung.pdf")
    shot(page, "supplement-sent")

    # 6. The commune accepts, decides and returns the result.
    desk.goto(site(f"/ho-so/{code}/"))
    act(desk, "Tiếp nhận hồ sơ", "Đã tiếp nhận")

    # The citizen now sees the due date and downloads the receipt (Form 01) as a PDF.
    page.reload()
    expect(page.locator("dl.facts")).to_contain_text(re.compile(r"Ngày hẹn trả kết quả\s*\d"))
    receipt = page.get_by_role("link", name=re.compile(r"^Mẫu 01"))
    response = page.context.request.get(site(receipt.get_attribute("href")),
                                         headers={"Referer": page.url})
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    shot(page, "accepted-with-receipt")

    act(desk, "Chuyển bước tiếp theo", "Đã chuyển hồ sơ",
        choose={"Người nhận tại": "Huỳnh Văn Tâm"})
    specialist = people("chuyenvien.nhatrang")
    specialist.goto(site(f"/ho-so/{code}/"))
    draft_result(specialist, site.url, code)  # the result is drafted before it goes up
    act(specialist, "Chuyển bước tiếp theo", "Đã chuyển hồ sơ",
        choose={"Người nhận tại": "Bùi Minh Khoa"})
    head = people("lanhdao.nhatrang")
    head.goto(site(f"/ho-so/{code}/"))
    sign_result(head, site.url, code)  # read, then signed through the confirmation page
    desk.goto(site(f"/ho-so/{code}/"))
    hand_over(desk, paper="CCCD của người nộp hồ sơ")

    # 7. After the result, "Hồ sơ của tôi" offers the evaluation: 9 criteria and 2 ratings.
    page.goto(site(f"/ho-so-cua-toi/{code}/"))
    expect(page.locator(".badge--state")).to_have_text("Đã trả kết quả")
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đánh giá mức độ hài lòng")
    questions = dict.fromkeys(page.locator("form input[type=radio]").evaluate_all(
        "els => els.map(e => e.name)"))
    assert len(questions) == 11, questions
    for name in questions:
        page.locator(f"form input[type=radio][name='{name}']").first.check()
    shot(page, "evaluation-form")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".message--success")).to_be_visible()
    shot(page, "evaluation-sent")
