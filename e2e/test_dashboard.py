"""The head's service-index dashboard in the browser: open it, change the period, follow a number
to the dossiers behind it and open one of them (issue 6, "Done means")."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_dashboard_period_and_drill_down_to_a_dossier(people, site, shot) -> None:
    from django.utils import timezone

    from dossiers.models import Dossier

    # The demo's dossiers were received a few days ago: the year they fall in is the period to
    # pick (the current month may not hold them at the turn of a month).
    received = Dossier.objects.filter(received_at__isnull=False,
                                      competent_unit__code="000.00.15.H56").order_by("received_at")
    first = received.first()
    # Its year in Vietnam, as the dashboard and `received_at__year` count it: the stored moment
    # is in UTC, a year behind for anything received before 07:00 on 1 January.
    year = timezone.localtime(first.received_at).year

    page = people("lanhdao.tp")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Chỉ số phục vụ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chỉ số phục vụ người dân")
    shot(page, "dashboard-this-month")

    page.get_by_label("Kỳ báo cáo").select_option("nam")
    page.get_by_label("Năm", exact=True).fill(str(year))
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Năm {year}")
    shot(page, "dashboard-year")

    row = page.locator("tr", has=page.get_by_role("rowheader", name="Tiếp nhận trong kỳ",
                                                      exact=True))
    link = row.get_by_role("link")
    expect(link).to_have_text(str(received.filter(received_at__year=year).count()))
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ tiếp nhận trong kỳ")
    codes = page.locator("main table a")
    expect(codes.first).to_be_visible()
    shot(page, "drill-received")

    code = codes.first.inner_text()
    codes.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    shot(page, "dossier-from-drill")
