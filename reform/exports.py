"""The plan's progress report as an Excel workbook and a PDF, in Vietnamese (the callers render
them under translation.override("vi")): the summary by area, every task with its class and
progress, the evidence list, and the directive documents counted."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from dossiers.printing.pdf import BODY, CELL, CELL_HEAD, TITLE, p, text
from reform.selectors.report import CLASS_LABELS, CLASSES, PlanReport


def _title(report: PlanReport) -> list[str]:
    plan = report.plan
    return [f"BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH — "
            f"{report.period.label.upper()}",
            f"{plan.title} (Quyết định số {plan.decision_number} ngày "
            f"{plan.decision_date:%d/%m/%Y} của {plan.unit.name}); số liệu đến ngày "
            f"{report.as_of:%d/%m/%Y}"]


def _summary_rows(report: PlanReport) -> list[list]:
    rows = []
    for i, a in enumerate(report.areas, start=1):
        rows.append([i, a.label, a.total] + [a.counts[k] for k in CLASSES] + [float(a.progress)])
    totals = report.totals
    rows.append(["", "Tổng cộng", report.total] + [totals[k] for k in CLASSES]
                + [float(report.progress)])
    return rows


SUMMARY_HEADER = (["STT", "Lĩnh vực", "Số nhiệm vụ"] + [str(CLASS_LABELS[k]) for k in CLASSES]
                  + ["Tiến độ (%)"])
TASK_HEADER = ["STT", "Lĩnh vực", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Trạng thái",
               "Kết quả", "Tiến độ (%)", "Số minh chứng"]
EVIDENCE_HEADER = ["Nhiệm vụ", "Minh chứng", "Loại", "Tệp / đường dẫn / số văn bản",
                   "Ngày bổ sung"]


def _task_rows(report: PlanReport) -> list[list]:
    return [[line.task.number, line.area_label, line.task.title, line.task.lead_unit.name,
             line.task.due.strftime("%d/%m/%Y"), str(line.task.get_status_display()),
             str(CLASS_LABELS[line.klass]), float(line.progress), len(line.evidence)]
            for line in report.tasks]


def _evidence_where(evidence) -> str:
    if evidence.url:
        return evidence.url
    if evidence.stored_document_id:
        doc = evidence.stored_document
        return " ".join(x for x in (doc.document_number, str(doc.uid)) if x)
    return evidence.file_name


def _evidence_rows(report: PlanReport) -> list[list]:
    return [[f"{line.task.number} {line.task.title}".strip(), e.title,
             str(e.get_kind_display()), _evidence_where(e), f"{e.added_at:%d/%m/%Y}"]
            for line in report.tasks for e in line.evidence]


def report_xlsx(report: PlanReport) -> bytes:
    book = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDDDDD")

    def header(sheet, values):
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    summary = book.active
    summary.title = "Tổng hợp"
    for line in _title(report):
        summary.append([line])
    summary.append([])
    header(summary, SUMMARY_HEADER)
    for row in _summary_rows(report):
        summary.append(row)
    summary.append([])
    summary.append(["", "Văn bản chỉ đạo, điều hành CCHC ban hành trong năm (đến ngày báo cáo)",
                    report.directive_count])
    summary.append(["", "trong đó gắn với nhiệm vụ của kế hoạch", report.directives_linked])
    summary.append(["", "Số minh chứng", report.evidence_count])
    summary.column_dimensions["B"].width = 60
    tasks = book.create_sheet("Nhiệm vụ")
    header(tasks, TASK_HEADER)
    for row in _task_rows(report):
        tasks.append(row)
    for col, width in zip("ABCDEFGHI", (8, 35, 60, 35, 12, 25, 25, 10, 10), strict=True):
        tasks.column_dimensions[col].width = width
    evidence = book.create_sheet("Minh chứng")
    header(evidence, EVIDENCE_HEADER)
    for row in _evidence_rows(report):
        evidence.append(row)
    for col, width in zip("ABCDE", (60, 45, 25, 50, 12), strict=True):
        evidence.column_dimensions[col].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(rows: list[list], widths: list[float]) -> Table:
    cells = [[p(text(v), CELL_HEAD) for v in rows[0]]]
    cells += [[p(text(v), CELL) for v in row] for row in rows[1:]]
    table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#444444"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def report_pdf(report: PlanReport) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm,
                            rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                            title=_title(report)[0])
    first, second = _title(report)
    story = [p(text(first), TITLE), p(text(second), BODY), Spacer(1, 4 * mm),
             p("<b>I. Tổng hợp theo lĩnh vực</b>"),
             _table([SUMMARY_HEADER] + _summary_rows(report), [12, 85, 20, 27, 27, 27, 27, 22]),
             Spacer(1, 3 * mm),
             p(text(f"Văn bản chỉ đạo, điều hành CCHC ban hành trong năm: "
                    f"{report.directive_count} (gắn với nhiệm vụ của kế hoạch: "
                    f"{report.directives_linked}). Số minh chứng: {report.evidence_count}.")),
             Spacer(1, 4 * mm), p("<b>II. Danh mục nhiệm vụ</b>"),
             _table([TASK_HEADER] + _task_rows(report), [12, 35, 70, 40, 20, 30, 30, 14, 14])]
    evidence = _evidence_rows(report)
    story += [Spacer(1, 4 * mm), p("<b>III. Danh mục minh chứng</b>")]
    if evidence:
        story.append(_table([EVIDENCE_HEADER] + evidence, [80, 60, 30, 75, 22]))
    else:
        story.append(p("Chưa có minh chứng."))
    doc.build(story)
    return out.getvalue()
