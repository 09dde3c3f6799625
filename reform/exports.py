"""The plan's progress report as an Excel workbook and a PDF, in Vietnamese (the callers render
them under translation.override("vi")): the summary by area, every task with its class and
progress, the evidence list, and the directive documents counted."""

import io

from django.utils.timezone import localtime
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.paragraph import split

from dossiers.printing.pdf import BODY, FONT, TITLE, p, text
from motcua.spreadsheets import workbook_bytes
from reform.models import Evidence, Task
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
    # The labels translated once for the report, not once per task.
    statuses = {k: str(v) for k, v in Task.Status.choices}
    classes = {k: str(v) for k, v in CLASS_LABELS.items()}
    return [[line.task.number, line.area_label, line.task.title, line.task.lead_unit.name,
             line.task.due.strftime("%d/%m/%Y"), statuses[line.task.status],
             classes[line.klass], float(line.progress), len(line.evidence)]
            for line in report.tasks]


def _evidence_where(evidence) -> str:
    if evidence.url:
        return evidence.url
    if evidence.stored_document_id:
        from results.numbering import result_numbered  # evidence may name a stored result

        # A result approved unnumbered is numbered before it is named (results/numbering.py).
        doc = result_numbered(evidence.stored_document)
        return " ".join(x for x in (doc.document_number, str(doc.uid)) if x)
    return evidence.file_name


def _evidence_rows(report: PlanReport) -> list[list]:
    kinds = {k: str(v) for k, v in Evidence.Kind.choices}
    return [[f"{line.task.number} {line.task.title}".strip(), e.title,
             kinds[e.kind], _evidence_where(e), f"{localtime(e.added_at):%d/%m/%Y}"]
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
    return workbook_bytes(book)


# The tables' cells: DejaVu Serif 10 pt on 12.5 pt lines, the header row bold and centred (as
# dossiers.printing.pdf.CELL and CELL_HEAD), inside reportlab's default 6 pt cell padding.
CELL_FONT, HEAD_FONT, CELL_SIZE, CELL_LEADING, PADDING = FONT, f"{FONT}-Bold", 10, 12.5, 6


def _wrap(value: object, width: float, font: str, widths: dict[str, float]) -> str:
    """The cell's text broken into lines no wider than `width` points as a Paragraph breaks it
    (words split where reportlab splits them, not at a no-break space; a word wider than the
    cell cut from where the line stands, as its splitLongWords does), so the PDF says the same
    on the same pages: on 3,000 random strings the lines were the same but for 10 that mixed
    no-break spaces with runs of spaces. A Table lays out such plain strings many times faster
    than Paragraphs: a 100-task report has some 1,400 cells, and parsing each as a Paragraph's
    markup and measuring it again at every page break was most of the PDF's time. `widths`
    keeps each word's width for the whole table (the same words recur from row to row)."""

    def measure(chunk: str) -> float:
        w = widths.get(chunk)
        if w is None:
            w = widths[chunk] = stringWidth(chunk, font, CELL_SIZE)
        return w

    space = measure(" ")
    lines: list[str] = []
    line, used = [], -space  # the words of the line being filled, and their width
    # (word, whether it may still be cut): a piece of a cut word is never cut again.
    words = [(word, True) for word in split("" if value is None else str(value)) if word]
    i = 0
    while i < len(words):
        word, whole = words[i]
        w = measure(word)
        if w > width and whole:
            # Cut it: the first piece fills the current line, which then ends; the others follow
            # as words of their own (reportlab.platypus.paragraph._splitWord).
            pieces, piece, at = [], "", used + space
            for ch in word:
                cw = measure(ch)
                if at + cw > width and (piece or cw <= width):
                    pieces.append(piece)
                    piece, at = "", 0.0
                piece += ch
                at += cw
            pieces.append(piece)
            lines.append(" ".join(line + [pieces[0]]).rstrip())
            line, used = [], -space
            words[i:i + 1] = [(rest, False) for rest in pieces[1:]]
            continue
        if used + space + w <= width or not line:
            line.append(word)
            used += space + w
        else:
            lines.append(" ".join(line))
            line, used = [word], w
        i += 1
    if line:
        lines.append(" ".join(line))
    return "\n".join(lines)


class _TextTable(Table):
    """A Table that writes its left-aligned text cells into one PDF text object per drawn
    table, each cell's lines one under the other: the same text at the same places as
    reportlab's own drawing, which begins a text object (font selection included) for every
    line and measures each line's width first, for an alignment a left cell does not need —
    about a quarter of the report's time. Other cells (the centred header) are drawn by
    reportlab. Leans on Table's `draw` and `_drawCell` (reportlab is pinned, pyproject.toml);
    reform/tests/plans/test_report.py reads the PDF's text back."""

    def draw(self) -> None:
        self._text = None
        super().draw()
        if self._text is not None:  # after the cells and the grid: no line crosses the text
            self.canv.drawText(self._text)

    def _drawCell(self, cellval, cellstyle, pos, size) -> None:
        if (not isinstance(cellval, str) or cellstyle.alignment != "LEFT"
                or cellstyle.valign != "TOP" or cellstyle.href or cellstyle.destination):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        text = self._text
        if text is None:
            text = self._text = self.canv.beginText()
            text.setFillColor(cellstyle.color)
            text.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._textstyle = cellstyle
        elif self._textstyle is not cellstyle:
            cur = self._textstyle
            if cellstyle.color != cur.color:
                text.setFillColor(cellstyle.color)
            if (cellstyle.leading != cur.leading or cellstyle.fontname != cur.fontname
                    or cellstyle.fontsize != cur.fontsize):
                text.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._textstyle = cellstyle
        x, y = pos
        text.setTextOrigin(x + cellstyle.leftPadding,
                           y + size[1] - cellstyle.topPadding - cellstyle.fontsize)
        text.textLines(cellval.split("\n"))


def _table(rows: list[list], widths: list[float]) -> Table:
    inner = [w * mm - 2 * PADDING for w in widths]
    head_widths: dict[str, float] = {}
    cell_widths: dict[str, float] = {}
    cells = [[_wrap(v, room, HEAD_FONT, head_widths) for v, room in zip(rows[0], inner,
                                                                          strict=True)]]
    cells += [[_wrap(v, room, CELL_FONT, cell_widths) for v, room in zip(row, inner,
                                                                           strict=True)]
              for row in rows[1:]]
    table = _TextTable(cells, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#444444"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("FONT", (0, 0), (-1, -1), CELL_FONT, CELL_SIZE, CELL_LEADING),
                               ("FONT", (0, 0), (-1, 0), HEAD_FONT, CELL_SIZE, CELL_LEADING),
                               ("ALIGN", (0, 0), (-1, 0), "CENTER")]))
    return table


def report_pdf(report: PlanReport) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm,
                            rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                            title=_title(report)[0])
    first, second = _title(report)
    # Column widths in mm, 267 between the margins: each holds its longest word whole (a
    # number like 3.1.10, a date, 100.0, the bold header words) — narrower, reportlab cuts
    # them across lines (30/06/2 026).
    story = [p(text(first), TITLE), p(text(second), BODY), Spacer(1, 4 * mm),
             p("<b>I. Tổng hợp theo lĩnh vực</b>"),
             _table([SUMMARY_HEADER] + _summary_rows(report), [13, 85, 20, 27, 27, 27, 27, 22]),
             Spacer(1, 3 * mm),
             p(text(f"Văn bản chỉ đạo, điều hành CCHC ban hành trong năm: "
                    f"{report.directive_count} (gắn với nhiệm vụ của kế hoạch: "
                    f"{report.directives_linked}). Số minh chứng: {report.evidence_count}.")),
             Spacer(1, 4 * mm), p("<b>II. Danh mục nhiệm vụ</b>"),
             _table([TASK_HEADER] + _task_rows(report), [16, 35, 58, 40, 25, 30, 30, 15, 17])]
    evidence = _evidence_rows(report)
    story += [Spacer(1, 4 * mm), p("<b>III. Danh mục minh chứng</b>")]
    if evidence:
        story.append(_table([EVIDENCE_HEADER] + evidence, [77, 60, 30, 75, 25]))
    else:
        story.append(p("Chưa có minh chứng."))
    doc.build(story)
    return out.getvalue()
