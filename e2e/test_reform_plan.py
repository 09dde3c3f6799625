"""The yearly CCHC plan in the browser (issue #13): the Home Affairs officer opens the demo
plan; the Department of Justice updates one of its tasks, attaches evidence and reports it done;
the officer accepts it and downloads the progress report as Excel and PDF."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dossiers.tests import files
from e2e.steps import field

pytestmark = pytest.mark.browser

TASK = "Kiểm tra, xử lý văn bản quy phạm pháp luật trái pháp luật"


def test_plan_task_update_with_evidence_accept_and_report(people, site, shot) -> None:
    from reform.models import Plan

    plan = Plan.objects.get()
    officer = people("noivu.cchc")
    officer.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Kế hoạch CCHC").click()
    officer.get_by_role("link", name=plan.title).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(plan.title)
    expect(officer.get_by_role("heading", name="Cải cách thể chế")).to_be_visible()
    shot(officer, "officer-plan")

    unit = people("chuyenvien.tp")
    unit.goto(site(f"/cai-cach/ke-hoach/{plan.pk}/"))
    # The department sees its own tasks, not the Department of Home Affairs'.
    expect(unit.get_by_role("link", name=TASK)).to_be_visible()
    expect(unit.get_by_role("link", name="Sắp xếp tổ chức bộ máy các cơ quan chuyên môn")
           ).to_have_count(0)
    unit.get_by_role("link", name=TASK).click()
    expect(unit.get_by_role("heading", level=1)).to_contain_text(TASK)
    field(unit, "Tiến độ (%)").fill("90")
    field(unit, "Nội dung đã thực hiện").fill("Đã kiểm tra 45 văn bản, phát hiện 2 văn bản trái "
                                              "pháp luật.")
    unit.get_by_role("button", name="Lưu tiến độ").click()
    expect(unit.locator("#task-progress")).to_have_text("90,0%")
    shot(unit, "unit-progress")

    field(unit, "Tên minh chứng").fill("Báo cáo kết quả kiểm tra văn bản")
    field(unit, "Tệp (PDF, DOCX, XLSX, JPEG, PNG)").set_input_files(
        {"name": "bao-cao-kiem-tra.pdf", "mimeType": "application/pdf", "buffer": files.PDF})
    unit.get_by_role("button", name="Thêm minh chứng").click()
    expect(unit.locator("#evidence-list")).to_contain_text("Báo cáo kết quả kiểm tra văn bản")
    unit.locator("form", has=unit.get_by_role("button", name="Báo cáo hoàn thành")).get_by_label(
        "Ghi chú").fill("Hoàn thành kiểm tra.")
    unit.get_by_role("button", name="Báo cáo hoàn thành").click()
    expect(unit.locator("#task-status")).to_have_text("Đã báo cáo hoàn thành, chờ nghiệm thu")
    shot(unit, "unit-reported-done")

    officer.goto(unit.url)
    officer.locator("form", has=officer.get_by_role("button", name="Nghiệm thu")).get_by_label(
        "Ghi chú").fill("Đạt yêu cầu.")
    officer.get_by_role("button", name="Nghiệm thu").click()
    expect(officer.locator("#task-status")).to_have_text("Đã hoàn thành (được nghiệm thu)")
    expect(officer.get_by_role("cell", name="Đạt yêu cầu.")).to_be_visible()
    shot(officer, "officer-accepted")

    officer.goto(site(f"/cai-cach/ke-hoach/{plan.pk}/"))
    officer.get_by_role("link", name="Báo cáo tiến độ").click()
    officer.get_by_label("Kỳ báo cáo").select_option("nam")
    officer.get_by_role("button", name="Xem").click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text(f"Năm {plan.year}")
    shot(officer, "report")
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Tải báo cáo Excel").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    rows = list(book["Nhiệm vụ"].iter_rows(values_only=True))
    row = next(r for r in rows if r[2] == TASK)
    assert row[5] == "Đã hoàn thành (được nghiệm thu)"
    assert row[6] in ("Hoàn thành đúng hạn", "Hoàn thành quá hạn") and row[8] == 1
    evidence = [r[1] for r in book["Minh chứng"].iter_rows(values_only=True)]
    assert "Báo cáo kết quả kiểm tra văn bản" in evidence
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Tải báo cáo PDF").click()
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"

    public = people.browser.new_page()
    public.goto(site(f"/cai-cach/cong-khai/ke-hoach/{plan.pk}/"))
    expect(public.get_by_role("heading", level=1)).to_have_text(plan.title)
    expect(public.locator("main")).not_to_contain_text("Hoàng Thị Thu")
    shot(public, "public")
    public.close()
