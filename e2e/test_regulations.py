"""Regulation review in the browser: the reform officer opens a round and puts a paper of a
procedure under review, the department proposes to abolish it with its cost, the reform officer
approves it by decision, and the procedure's next version appears without that paper."""

import pytest
from django.db.models import Count
from django.utils import timezone
from playwright.sync_api import expect

from e2e.steps import field

pytestmark = pytest.mark.browser


def test_round_proposal_approval_makes_a_version(people, site, shot) -> None:
    from catalog.models import Procedure
    from regulations.models import Provision

    reviewed = set(Provision.objects.values_list("procedure_code", flat=True))
    procedure = (Procedure.objects.filter(is_active=True, competent_unit__code="000.00.15.H56")
                 .exclude(code__in=reviewed).annotate(papers=Count("variants__documents"))
                 .filter(papers__gte=2).order_by("code").first())
    paper = procedure.variants.order_by("order", "id").first().documents.order_by("-order",
                                                                                  "-id").first()
    today = timezone.localdate().isoformat()

    reform = people("caicach")
    reform.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Rà soát quy định").click()
    expect(reform.get_by_role("heading", level=1)).to_have_text("Rà soát, đơn giản hóa quy định")
    field(reform, "Tên đợt rà soát").fill("Rà soát thủ tục lĩnh vực tư pháp")
    field(reform, "Đơn vị chủ trì").select_option(label="Ủy ban nhân dân tỉnh Khánh Hòa")
    field(reform, "Từ ngày").fill(f"{timezone.localdate().year}-01-01")
    field(reform, "Đến ngày").fill(f"{timezone.localdate().year}-12-31")
    reform.get_by_role("button", name="Mở đợt rà soát").click()
    expect(reform.get_by_role("heading", level=1)).to_have_text(
        "Rà soát thủ tục lĩnh vực tư pháp")
    reform.get_by_label("Mã thủ tục trong danh mục").fill(procedure.code)
    reform.get_by_role("button", name="Xem các phần của thủ tục").click()
    reform.locator(f'input[value="document:{paper.pk}"]').check()
    shot(reform, "round-pick-paper")
    reform.get_by_role("button", name="Đưa vào rà soát").click()
    expect(reform.locator("#provision-state")).to_have_text("Đang rà soát")
    provision_url = reform.url

    unit = people("chuyenvien.tp")
    unit.goto(provision_url)
    field(unit, "Phương án").select_option(label="Bãi bỏ")
    field(unit, "Lý do").fill("Cơ quan giải quyết tự khai thác từ cơ sở dữ liệu.")
    field(unit, "Chi phí một giờ làm việc (đồng)").fill("30000")
    field(unit, "Số giờ mỗi hồ sơ — hiện hành").fill("6")
    field(unit, "Chi phí thuê ngoài mỗi hồ sơ — hiện hành (đồng)").fill("40000")
    field(unit, "Số giờ mỗi hồ sơ — sau đơn giản hóa").fill("2")
    unit.get_by_role("button", name="Lưu và gửi đề xuất").click()
    expect(unit.locator("#provision-state")).to_have_text("Đã đề xuất")
    # 6 h × 30,000 + 40,000 = 220,000 đồng a dossier before, 60,000 after.
    shot(unit, "proposal-sent")

    reform.reload()
    field(reform, "Số quyết định phê duyệt").fill("99/QĐ-UBND")
    field(reform, "Ngày quyết định").fill(today)
    field(reform, "Ngày có hiệu lực").fill(today)
    reform.get_by_role("button", name="Phê duyệt theo quyết định").click()
    expect(reform.locator("#provision-state")).to_have_text("Đã phê duyệt")
    expect(reform.locator("#new-version")).to_contain_text("Phiên bản 2")
    expect(reform.locator("#new-version")).to_contain_text("đang áp dụng")
    shot(reform, "approved-version")

    # The public catalogue now shows the version without the paper.
    reform.goto(site(f"/thu-tuc/{procedure.code}/"))
    expect(reform.get_by_role("heading", level=1)).to_contain_text(procedure.name[:40])
    assert paper.name[:60] not in reform.locator("main").inner_text()
    assert Procedure.objects.get(code=procedure.code, is_active=True).version == 2


def test_demo_round_shows_the_measured_effect(people, site, shot) -> None:
    reform = people("caicach")
    reform.goto(site("/ra-soat/"))
    reform.locator("main table a").first.click()
    row = reform.locator("tr", has=reform.get_by_text("Đã phê duyệt · phiên bản 2"))
    expect(row).to_contain_text("trung vị")
    expect(row).to_contain_text("đúng hạn")
    shot(reform, "demo-round")
    reform.get_by_label("Ngôn ngữ").select_option("en")
    reform.get_by_role("button", name="Đổi").click()
    expect(reform.get_by_role("heading", name="Provisions under review")).to_be_visible()
    shot(reform, "demo-round-english")
