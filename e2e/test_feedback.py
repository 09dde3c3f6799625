"""Feedback on regulations (PAKN) in the browser: a citizen sends an item without an account,
the centre forwards it to the Department of Justice, which answers; the head approves, the
answer is published and found without diacritics, and the citizen rates it (issue 14)."""

import pytest
from playwright.sync_api import Page, expect

from e2e.steps import field

pytestmark = pytest.mark.browser

TITLE = "Bộ phận một cửa đòi bản sao chứng thực căn cước"
ANSWER = "Sở đã chấn chỉnh: thủ tục không yêu cầu bản sao chứng thực căn cước."


def _action(page: Page, action: str, **choose: str) -> None:
    form = page.locator(f'form[data-action="{action}"]')
    for label, value in choose.items():
        control = form.get_by_label(label)
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        elif control.get_attribute("type") == "checkbox":
            control.check()
        else:
            control.fill(value)
    form.get_by_role("button").click()


def test_send_forward_answer_approve_publish_rate(page: Page, people, site, shot) -> None:
    # The citizen, without an account.
    page.goto(site("/phan-anh/gui/"))
    field(page, "Tiêu đề").fill(TITLE)
    field(page, "Nội dung phản ánh, kiến nghị").fill(
        "Khi nộp hồ sơ lý lịch tư pháp, cán bộ yêu cầu thêm bản sao chứng thực căn cước.")
    field(page, "Họ và tên (hoặc tên tổ chức)").fill("Phạm Văn Quý")
    field(page, "Số điện thoại").fill("0987654321")
    page.get_by_label("Tôi đồng ý công khai").check()
    field(page, "Gửi đến cơ quan").select_option(label="Trung tâm Phục vụ hành chính công tỉnh "
                                                       "Khánh Hòa")
    shot(page, "send-form")
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    code = page.locator("[data-feedback-code]").inner_text()
    secret = page.locator("[data-feedback-secret]").inner_text()
    shot(page, "sent-code")

    # The centre's officer forwards it to the competent department.
    receiver = people("phananh.ttpvhcc")
    receiver.goto(site(f"/phan-anh/can-bo/{code}/"))
    expect(receiver.get_by_role("heading", level=1)).to_contain_text(TITLE)
    _action(receiver, "forward", **{"Phân loại": "Quy định hành chính không thuộc thẩm quyền "
                                                 "xử lý",
                                    "Cơ quan có thẩm quyền": "Sở Tư pháp tỉnh Khánh Hòa"})
    expect(receiver.locator("[data-feedback-state]")).to_have_attribute(
        "data-feedback-state", "forwarded")
    shot(receiver, "forwarded")

    # The department takes it; its head assigns; the officer drafts; the head approves.
    officer, head = people("phananh.stp"), people("lanhdao.tp")
    officer.goto(site(f"/phan-anh/can-bo/{code}/"))
    _action(officer, "take")
    head.goto(site(f"/phan-anh/can-bo/{code}/"))
    _action(head, "assign", **{"Chuyên viên": "Đặng Minh Khoa"})
    officer.goto(site(f"/phan-anh/can-bo/{code}/"))
    _action(officer, "draft", **{"Nội dung trả lời": ANSWER})
    head.goto(site(f"/phan-anh/can-bo/{code}/"))
    _action(head, "approve")
    expect(head.locator("[data-feedback-state]")).to_have_attribute(
        "data-feedback-state", "answered")
    _action(head, "publish")
    expect(head.locator("[data-feedback-state]")).to_have_attribute(
        "data-feedback-state", "published")
    shot(head, "published")

    # Anyone finds the answer, typed without diacritics; no personal data on it.
    page.goto(site("/phan-anh/?q=ban+sao+chung+thuc+can+cuoc"))
    answer = page.locator("[data-public-answer]").filter(has_text=TITLE)
    expect(answer).to_have_count(1)
    answer.get_by_role("link").click()
    expect(page.locator("[data-feedback-answer]")).to_contain_text(ANSWER)
    expect(page.locator("main")).not_to_contain_text("Phạm Văn Quý")
    expect(page.locator("main")).not_to_contain_text("0987654321")
    shot(page, "public-answer")

    # The citizen follows it with the code and the secret, and rates the answer.
    page.goto(site("/phan-anh/tra-cuu/"))
    page.get_by_label("Mã phản ánh").fill(code)
    page.get_by_label("Mã bí mật hoặc 4 số cuối điện thoại").fill(secret)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("[data-feedback-answer]")).to_contain_text(ANSWER)
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("[data-feedback-rating]")).to_have_attribute(
        "data-feedback-rating", "satisfied")
    shot(page, "rated")
