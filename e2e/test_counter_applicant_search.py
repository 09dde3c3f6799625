"""The counter's search of the applicant by personal ID fills the applicant's fields in place:
the procedure, case and papers already chosen stay, and so does what the officer typed."""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.steps import field

pytestmark = pytest.mark.browser

PROCEDURE = "3.000333"  # Cấp Phiếu Lý lịch tư pháp, as in the counter journey


def test_search_by_personal_id_fills_the_applicant_in_place(people, site, shot) -> None:
    desk: Page = people("tiepnhan")
    desk.goto(site("/tiep-nhan/"))
    desk.get_by_label("Tìm thủ tục theo tên hoặc mã").fill("ly lich tu phap")
    desk.locator("#procedure-results").get_by_role("link", name=re.compile(PROCEDURE)).click()
    cases = desk.locator("#variant-area input[type=radio][name=variant]")
    expect(cases.first).to_be_visible()
    cases.first.check()
    papers = desk.locator("#variant-area table tbody input[type=checkbox]")
    expect(papers.first).to_be_visible()
    papers.first.check()
    field(desk, "Thư điện tử").fill("bich@example.vn")

    # Trần Thị Bích filed a demo dossier: her earlier data comes back without reloading.
    desk.get_by_label("Tìm người nộp theo số định danh cá nhân").fill("056185004321")
    desk.get_by_role("button", name="Tìm người nộp").click()
    expect(field(desk, "Họ và tên người nộp / tên tổ chức")).to_have_value("Trần Thị Bích")
    expect(desk.locator("#applicant-fields .notes")).to_contain_text("hồ sơ trước đây")
    expect(field(desk, "Thư điện tử")).to_have_value("bich@example.vn")
    # Nothing else was reset: the chosen case and the ticked paper are still there.
    expect(cases.first).to_be_checked()
    expect(papers.first).to_be_checked()
    assert "so_dinh_danh" not in desk.url
    shot(desk, "applicant-found")
