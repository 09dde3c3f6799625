"""Issue #16 in a real browser: the counter's "Loại bản" select shows its whole choice, the work
box's search narrows the list through htmx and the address bar keeps it, and a visitor at `/`
sees the public catalogue."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PROCEDURE = "3.000333"


def test_copy_kind_select_shows_its_whole_choice(people) -> None:
    desk = people("tiepnhan")
    desk.get_by_role("navigation").get_by_role("link", name="Nhập hồ sơ tại quầy").click()
    desk.get_by_label("Tìm thủ tục theo tên hoặc mã").fill("ly lich tu phap")
    desk.locator("#procedure-results").get_by_role("link", name=re.compile(PROCEDURE)).click()
    cases = desk.locator("#variant-area input[type=radio][name=variant]")
    expect(cases.first).to_be_visible()
    cases.first.check()
    selects = desk.locator("#variant-area table tbody select")
    expect(selects.first).to_be_visible()
    for i in range(selects.count()):
        # The select is at least as wide as the text of its longest choice.
        fits = selects.nth(i).evaluate("""s => {
            const c = document.createElement('canvas').getContext('2d');
            c.font = getComputedStyle(s).font;
            const widest = Math.max(...[...s.options].map(o => c.measureText(o.text).width));
            return s.clientWidth >= widest;
        }""")
        assert fits, selects.nth(i).evaluate("s => [s.clientWidth, s.value]")


def test_work_box_search_keeps_the_filters_in_the_address(people, site) -> None:
    desk = people("tiepnhan")
    desk.goto(site.url + "/ho-so/hop/all/")
    rows = desk.locator("#inbox tbody tr")
    expect(rows.first).to_be_visible()
    desk.get_by_label("Tìm").fill("khong co ai ten nay")
    desk.get_by_role("button", name="Lọc").click()
    expect(desk.locator("#inbox")).to_contain_text("Không có hồ sơ nào khớp")
    # The new filter form answers a change once htmx has settled the swapped list (as a person
    # would not pick a state within the same few milliseconds).
    # (A locator, not wait_for_function: the page's Content-Security-Policy forbids the eval that
    # a string predicate needs.)
    expect(desk.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    expect(desk).to_have_url(re.compile(r"q=khong"))
    assert parse_qs(urlsplit(desk.url).query)["q"] == ["khong co ai ten nay"]
    desk.get_by_label("Trạng thái").select_option("received")
    expect(desk.get_by_label("Tìm")).to_have_value("khong co ai ten nay")
    expect(desk).to_have_url(re.compile(r"trang-thai=received"))
    assert parse_qs(urlsplit(desk.url).query)["q"] == ["khong co ai ten nay"]


def test_a_visitor_at_the_front_door_sees_the_catalogue(page: Page, site) -> None:
    page.goto(site.url + "/")
    assert page.url.endswith("/thu-tuc/")
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
