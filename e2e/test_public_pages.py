"""Public pages any visitor reaches without logging in: the catalogue's search, the language
switch, and the layout at a phone's width (issue 3, parts 1 and 10)."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.browser import new_page

pytestmark = pytest.mark.browser

# Letters only Vietnamese uses; an English page has none of them in its main heading.
VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.IGNORECASE)


# The public pages a citizen opens on a phone: the catalogue with and without results, the
# lookup, and the way in.
PHONE_PAGES = {
    "phone-catalogue": "/thu-tuc/",
    "phone-search": "/thu-tuc/?q=dang+ky+thuong+tru",
    "phone-procedure": "/thu-tuc/1.004222/",
    "phone-lookup": "/tra-cuu/",
    "phone-login": "/tai-khoan/dang-nhap/",
    "phone-signup": "/tai-khoan/dang-ky/",
}


def test_catalog_search_ignores_diacritics(page: Page, site, shot) -> None:
    page.goto(site("/thu-tuc/"))
    page.get_by_label("Tên thủ tục, mã thủ tục hoặc việc bạn cần làm").fill("dang ky thuong tru")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator("#catalog-results .count")).to_contain_text("dang ky thuong tru")
    first = page.locator("#catalog-results ol.results > li").first.get_by_role("link")
    expect(first).to_have_text("Đăng ký thường trú")
    shot(page, "search-results")

    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký thường trú")
    expect(page.locator("main")).to_contain_text("1.004222")
    # What the citizen reads before applying: steps, papers, time limit and fees, legal basis.
    for section in ("Trình tự thực hiện", "Căn cứ pháp lý"):
        expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nơi tiếp nhận hồ sơ")
    shot(page, "procedure-page")


def test_language_switch_to_english_and_back(page: Page, site, shot) -> None:
    page.goto(site("/thu-tuc/"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Tra cứu thủ tục hành chính")

    page.get_by_label("Ngôn ngữ").select_option(value="en")
    page.get_by_role("button", name="Đổi").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading).not_to_have_text("Tra cứu thủ tục hành chính")
    assert not VIETNAMESE_LETTERS.search(heading.inner_text()), heading.inner_text()
    # The choice sticks: another page is in English too.
    page.goto(site("/tra-cuu/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert not VIETNAMESE_LETTERS.search(heading.inner_text()), heading.inner_text()
    shot(page, "english")

    # Back to Vietnamese from the lookup page, whose address may carry the dossier's secret: its
    # referrer policy must still let the browser post the switch with a real Origin.
    page.get_by_label("Language").select_option(value="vi")
    page.locator("form.lang-switch button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(heading).to_have_text("Tra cứu tình trạng hồ sơ")
    shot(page, "vietnamese-again")


def test_phone_width_has_no_horizontal_scroll(browser: Browser, site, shot) -> None:
    page = new_page(browser, viewport={"width": 375, "height": 740}, is_mobile=True,
                    has_touch=True, device_scale_factor=2)
    try:
        for name, path in PHONE_PAGES.items():
            page.goto(site(path))
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            width = page.evaluate("() => document.documentElement.scrollWidth")
            screen = page.evaluate("() => document.documentElement.clientWidth")
            shot(page, name, full_page=False)  # the first screen, as the phone shows it
            assert width <= screen, f"{path}: the page is {width}px wide on a {screen}px screen"
    finally:
        page.context.close()


def test_lookup_works_with_the_keyboard_alone(page: Page, site, shot) -> None:
    """Part 10: keyboard-usable forms. The skip link leads into the page, Tab reaches the two
    labelled fields in order, Enter sends the form."""
    from dossiers.models import Dossier

    dossier = Dossier.objects.exclude(received_at=None).order_by("code").first()
    page.goto(site("/tra-cuu/"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mã hồ sơ")).to_be_focused()
    page.keyboard.type(dossier.code)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mã bí mật hoặc 4 số cuối điện thoại")).to_be_focused()
    page.keyboard.type(dossier.lookup_secret)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Hồ sơ {dossier.code}")).to_be_visible()
    shot(page, "keyboard-lookup")
