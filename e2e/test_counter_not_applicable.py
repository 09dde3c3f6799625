"""A counter intake where the law's paper list is applied to this applicant (issue #16): one
form of a one-of group is enough, the authorisation is marked not applicable with a reason, and
the receipt (Form 01) and the dossier's history say so."""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.steps import field

pytestmark = pytest.mark.browser

PROCEDURE = "3.000333"  # Cấp Phiếu Lý lịch tư pháp (provincial), as in the counter journey
REASON = "Người nộp tự yêu cầu cấp phiếu cho mình, không ủy quyền"


def _row(desk: Page, text: str):
    return desk.locator("#variant-area table tbody tr").filter(has_text=text).first


def test_counter_intake_with_a_group_and_a_paper_not_applicable(people, site, shot) -> None:
    desk: Page = people("tiepnhan")
    desk.goto(site("/tiep-nhan/"))
    desk.get_by_label("Tìm thủ tục theo tên hoặc mã").fill("ly lich tu phap")
    desk.locator("#procedure-results").get_by_role("link", name=re.compile(PROCEDURE)).click()
    cases = desk.locator("#variant-area input[type=radio][name=variant]")
    expect(cases.first).to_be_visible()
    cases.first.check()
    field(desk, "Họ và tên người nộp / tên tổ chức").fill("Phạm Văn Đức")
    field(desk, "Số định danh cá nhân / mã số doanh nghiệp").fill("056188007788")

    # The applicant's own form comes on paper (Mẫu 01) or electronic (Mẫu 04): one of the group.
    paper_form = _row(desk, "Dùng cho cá nhân có yêu cầu cấp Phiếu Lý lịch tư pháp), Mẫu số 01")
    expect(paper_form).to_contain_text("chỉ cần một giấy tờ trong nhóm")
    paper_form.locator("input[name$=_received]").check()
    _row(desk, "Bản sao Thẻ Căn cước").locator("input[name$=_received]").check()
    # The authorised person's papers are asked only in that case; the desk says it does not
    # apply to this applicant, and why.
    authorisation = _row(desk, "Văn bản ủy quyền")
    expect(authorisation).to_contain_text("Chỉ cần khi")
    authorisation.get_by_text("Không áp dụng với người nộp này?").click()
    authorisation.get_by_label("Không áp dụng", exact=True).check()
    authorisation.get_by_label("Lý do", exact=True).fill(REASON)
    shot(desk, "papers-checked")

    desk.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    expect(desk.locator(".message--success")).to_contain_text("Đã tiếp nhận hồ sơ")
    expect(desk.locator(".badge--state")).to_have_text("Đã tiếp nhận")
    # The answer is in the dossier's history with its reason, and on the paper list.
    expect(desk.locator("body")).to_contain_text("Kiểm tra thành phần hồ sơ")
    expect(desk.locator("body")).to_contain_text(REASON)

    desk.get_by_role("link", name="Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01)").click()
    body = desk.locator("body")
    expect(body).to_contain_text("Không áp dụng với người nộp: Văn bản ủy quyền")
    expect(body).to_contain_text(REASON)
    expect(body).to_contain_text("một trong các giấy tờ thay thế nhau")
    shot(desk, "form-01-not-applicable")
