"""reform/selectors/report.py and reform/exports.py: the classes, counts, evidence and
directive count of a period's report; reform_warn's notices."""

import io
import re
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.management import call_command
from openpyxl import load_workbook

from dossiers.tests import files
from metrics.periods import Period
from notifications.models import Notification
from reform.exports import report_pdf, report_xlsx
from reform.models import Area, Directive
from reform.selectors.report import plan_report, task_class
from reform.services.directives import directive_create
from reform.services.plans import task_add
from reform.services.tasks import (
    evidence_add_file,
    evidence_add_url,
    task_accept,
    task_progress_update,
    task_submit,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + " 10:00").replace(tzinfo=TZ)


def _done(world, task, day: str, staff):
    evidence_add_file(actor=staff, task=task, title=f"Minh chứng {task.number}",
                      name="mc.pdf", data=files.PDF, at=at(day))
    task = task_submit(actor=staff, task=task, note="Xong", at=at(day))
    return task_accept(actor=world.officer, task=task, at=at(day))


def _plan(world):
    """Justice: task 1 (due 30/06) done 20/06 on time; finance: task 2 (due 30/09) done 15/10
    late; task 3 with sub-tasks 3.1 (due 31/03, open: overdue in Q2) and 3.2 (due 31/12)."""
    _done(world, world.justice_task, "2026-06-20", world.justice_staff)
    _done(world, world.finance_task, "2026-10-15", world.finance_staff)
    parent = task_add(actor=world.officer, plan=world.plan, area=Area.DIGITAL,
                      title="Chuyển đổi số", lead_unit=world.justice, number="3")
    sub1 = task_add(actor=world.officer, plan=world.plan, area="", parent=parent,
                    title="Số hóa hồ sơ", lead_unit=world.justice, number="3.1",
                    deadline=date(2026, 3, 31))
    sub2 = task_add(actor=world.officer, plan=world.plan, area="", parent=parent,
                    title="Kết nối CSDL", lead_unit=world.finance, number="3.2")
    task_progress_update(actor=world.justice_staff, task=sub1, progress=50, note="Một nửa",
                         at=at("2026-03-10"))
    directive_create(actor=world.officer, number="01/CT-UBND", date_issued=date(2026, 2, 1),
                     issuer="UBND tỉnh", kind=Directive.Kind.DIRECTIVE, summary="CCHC")
    late = directive_create(actor=world.officer, number="99/KH-UBND",
                            date_issued=date(2026, 11, 1), issuer="UBND tỉnh",
                            kind=Directive.Kind.PLAN, summary="Kế hoạch kiểm tra")
    sub1.directives.add(late)
    return parent, sub1, sub2


def test_the_year_report_classes_every_leaf_task(world):
    parent, sub1, sub2 = _plan(world)
    report = plan_report(plan=world.plan, period=Period("nam", 2026), today=date(2027, 1, 5))
    assert report.as_of == date(2026, 12, 31)
    counts = {a.area: a.counts for a in report.areas}
    assert counts[Area.PROCEDURES] == {"on_time": 1, "late": 0, "in_progress": 0, "overdue": 0}
    assert counts[Area.PUBLIC_FINANCE] == {"on_time": 0, "late": 1, "in_progress": 0,
                                           "overdue": 0}
    # The parent is not counted (its sub-tasks are); 3.2 is due 31/12, not yet past.
    assert counts[Area.DIGITAL] == {"on_time": 0, "late": 0, "in_progress": 1, "overdue": 1}
    assert report.total == 4 and report.totals == {"on_time": 1, "late": 1, "in_progress": 1,
                                                   "overdue": 1}
    assert report.directive_count == 2 and report.directives_linked == 1
    assert report.evidence_count == 2
    # (100 + 100 + 25) / 3 top-level tasks of weight 1.
    assert str(report.progress) == "75.0"


def test_a_quarter_report_counts_only_what_was_done_by_its_end(world):
    _plan(world)
    report = plan_report(plan=world.plan, period=Period("quy", 2026, 2), today=date(2026, 12, 1))
    assert report.as_of == date(2026, 6, 30)
    assert report.totals == {"on_time": 1, "late": 0, "in_progress": 2, "overdue": 1}
    assert report.directive_count == 1  # the November plan came later
    assert report.evidence_count == 1  # finance's evidence was added in October
    assert task_class(world.finance_task, date(2026, 6, 30)) == "in_progress"


def test_the_excel_and_pdf_files_carry_the_figures_and_the_evidence(world, tmp_path):
    _plan(world)
    report = plan_report(plan=world.plan, period=Period("nam", 2026), today=date(2027, 1, 5))
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    summary = list(book["Tổng hợp"].iter_rows(values_only=True))
    total = next(r for r in summary if r[1] == "Tổng cộng")
    assert total[2:8] == (4, 1, 1, 1, 1, 75.0)
    digital = next(r for r in summary if r[1] == str(Area.DIGITAL.label))
    assert digital[2:7] == (2, 0, 0, 1, 1)
    tasks = list(book["Nhiệm vụ"].iter_rows(values_only=True))
    assert ("3.1", "Quá hạn chưa hoàn thành") == (tasks[4][0], tasks[4][6])
    evidence = list(book["Minh chứng"].iter_rows(values_only=True))
    assert [r[1] for r in evidence[1:]] == ["Minh chứng 1", "Minh chứng 2"]
    pdf = tmp_path / "bc.pdf"
    pdf.write_bytes(report_pdf(report))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH" in text
    assert "Văn bản chỉ đạo, điều hành CCHC ban hành trong năm: 2" in text
    assert "Minh chứng 2" in text and "123/QĐ-UBND" in text


def test_reform_warn_tells_the_lead_units_of_overdue_and_due_soon_tasks(world):
    world.justice_staff.email = "tuphap@example.vn"
    world.justice_staff.save()
    out = io.StringIO()
    call_command("reform_warn", "--date", "2026-06-25", "--days", "7", stdout=out)
    text = out.getvalue()
    # Justice's task is due 30/06 (within 7 days); finance's 30/09 is not.
    assert "Sở Tư pháp tỉnh Thử nghiệm (1)" in text and "Sở Tài chính" not in text
    told = Notification.objects.filter(recipient_user__in=[world.justice_staff,
                                                           world.justice_head])
    assert told.filter(channel="web").count() == 2
    assert "0 quá hạn, 1 sắp đến hạn" in told.first().subject
    assert not Notification.objects.filter(recipient_user=world.finance_staff).exists()
    out = io.StringIO()
    call_command("reform_warn", "--date", "2026-10-01", "--days", "0", "--no-notify", stdout=out)
    assert "QUÁ HẠN" in out.getvalue() and "Sở Tài chính tỉnh Thử nghiệm (1)" in out.getvalue()
    assert Notification.objects.filter(recipient_user=world.finance_staff).count() == 0


def test_the_pdf_says_every_cell_the_excel_says(world, tmp_path):
    """The PDF's tables are the Excel's sheets: each row's cells, whole and in order (a long
    link cut across lines, not dropped), in the order the PDF writes its text; text written as
    it is (no markup: "&" and "<" stay themselves)."""
    _plan(world)
    odd = task_add(actor=world.officer, plan=world.plan, area=Area.INSTITUTIONS,
                   title="Rà soát văn bản <quy phạm> & hướng dẫn thi hành", lead_unit=world.justice,
                   number="4")
    link = "https://snv.example.gov.vn/" + "tai-lieu-kiem-tra-van-ban-" * 6 + "2026.pdf"
    # Added at 06:30 in Vietnam, still the 4th in UTC: the report gives the local day.
    evidence_add_url(actor=world.justice_staff, task=odd, title="Báo cáo kiểm tra & rà soát",
                     url=link, at=datetime(2026, 5, 5, 6, 30, tzinfo=TZ))
    report = plan_report(plan=world.plan, period=Period("nam", 2026), today=date(2027, 1, 5))
    pdf = tmp_path / "bc.pdf"
    pdf.write_bytes(report_pdf(report))
    # The text in the order the PDF writes it (row by row, cell by cell), without the spaces
    # and line breaks that the columns' widths put in it.
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    flat = "".join(raw.split())
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    summary = list(book["Tổng hợp"].iter_rows(values_only=True))
    table = summary[[r[0] for r in summary].index("STT"):][:len(Area) + 2]  # header … total
    assert table[-1][1] == "Tổng cộng"
    rows = [*table, *book["Nhiệm vụ"].iter_rows(values_only=True),
            *book["Minh chứng"].iter_rows(values_only=True)]
    assert len(rows) == 9 + 7 + 4
    assert rows[-1][1:] == ("Báo cáo kiểm tra & rà soát", "Đường dẫn", link, "05/05/2026")

    def cell(value) -> str:
        if isinstance(value, str):
            return re.escape("".join(value.split()))
        # Excel gives back 100.0 as 100; the PDF prints the figure as Python does (100.0).
        return re.escape(str(value)) + (r"(?:\.0)?" if isinstance(value, int) else "")

    for row in rows:
        assert re.search("".join(cell(v) for v in row if v is not None), flat), row
    assert "&amp;" not in raw and "&lt;" not in raw
    assert link in flat
    # The columns hold their numbers, dates and header words whole: only the link is cut.
    words = set(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                               text=True, check=True).stdout.split())
    assert {"STT", "3.1", "30/06/2026", "31/12/2026", "100.0", "minh", "chứng",
            "05/05/2026"} <= words
