"""The layout every official form shares, drawn with reportlab.

An administrative document (Decree 30/2020/NĐ-CP on document format) carries, at the top left, the
issuing agency under its parent; at the top right, the national name and motto; under them the
document number and the place and date; then the title and the body; signatures last. The font
is DejaVu Serif, shipped in motcua/fonts/ and embedded in every PDF, because it has every
Vietnamese letter with its tone marks (the PDF core fonts have none).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from accounts.models import Unit
from dossiers.deadlines import TZ

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "motcua" / "fonts"
FONT = "DejaVuSerif"
_FONT_FILES = {
    FONT: "DejaVuSerif.ttf",
    f"{FONT}-Bold": "DejaVuSerif-Bold.ttf",
    f"{FONT}-Italic": "DejaVuSerif-Italic.ttf",
    f"{FONT}-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
}


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold",
                                  italic=f"{FONT}-Italic", boldItalic=f"{FONT}-BoldItalic")


_register_fonts()

BODY = ParagraphStyle("body", fontName=FONT, fontSize=11.5, leading=15.5, alignment=TA_JUSTIFY,
                      spaceAfter=3)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=10, leading=12.5, alignment=TA_LEFT,
                      spaceAfter=0)
CELL_HEAD = ParagraphStyle("cell_head", parent=CELL, fontName=f"{FONT}-Bold",
                           alignment=TA_CENTER)
CENTRE = ParagraphStyle("centre", parent=BODY, alignment=TA_CENTER, spaceAfter=0)
TITLE = ParagraphStyle("title", parent=BODY, fontName=f"{FONT}-Bold", fontSize=13.5,
                       leading=18, alignment=TA_CENTER, spaceBefore=10, spaceAfter=2)
SUBTITLE = ParagraphStyle("subtitle", parent=CENTRE, fontName=f"{FONT}-Italic", fontSize=11,
                          spaceAfter=10)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9.5, leading=12, alignment=TA_LEFT)
HEAD = ParagraphStyle("head", parent=CENTRE, fontSize=10.5, leading=13.5)

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def text(value: object) -> str:
    """Escape text for a reportlab Paragraph (which reads a small XML markup)."""
    return escape("" if value is None else str(value))


def p(markup: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(markup, style)


def local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(TZ) if moment else None


def hour_and_day(moment: datetime | None) -> str:
    """'09 giờ 15 phút, ngày 23/11/2026' — the way Vietnamese forms write a moment."""
    m = local(moment)
    if m is None:
        return "…"
    return f"{m:%H} giờ {m:%M} phút, ngày {m:%d/%m/%Y}"


def day_words(moment: datetime) -> str:
    m = local(moment)
    return f"ngày {m:%d} tháng {m:%m} năm {m:%Y}"


def place_name(unit: Unit) -> str:
    """The place written before the date: the province's name without 'Tỉnh' or 'Thành phố'."""
    u: Unit | None = unit
    while u is not None:
        if u.province_id:
            name = u.province.name
            for prefix in ("Thành phố ", "Tỉnh "):
                if name.startswith(prefix):
                    return name[len(prefix):]
            return name
        u = u.parent
    return ""


@dataclass
class Header:
    unit: Unit
    number: str = ""
    at: datetime | None = None
    landscape: bool = False


@dataclass
class Signature:
    title: str
    note: str = "(Ký và ghi rõ họ tên)"
    name: str = ""


@dataclass
class Form:
    """One official form: its header facts, title, and body flowables."""

    header: Header
    title: str
    subtitle: str = ""
    body: list[Flowable] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    pdf_title: str = ""


class Underline(Flowable):
    """The short rule under the agency name and under the motto."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width, self.height = width, 2

    def draw(self) -> None:
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 1, self.width, 1)


def _header_table(header: Header, width: float) -> Table:
    unit = header.unit
    left: list[Flowable] = []
    if unit.parent_id:
        left.append(p(text(unit.parent.name.upper()), HEAD))
    left.append(p(f"<b>{text(unit.name.upper())}</b>", HEAD))
    left.append(_centred(Underline(30 * mm), width * 0.45))
    right: list[Flowable] = [p(f"<b>{NATION}</b>", HEAD), p(f"<b>{MOTTO}</b>", HEAD),
                             _centred(Underline(52 * mm), width * 0.55)]
    rows = [[left, right]]
    if header.number or header.at:
        number = p(f"Số: {text(header.number)}", HEAD) if header.number else ""
        when = ""
        if header.at:
            place = place_name(unit)
            when = p(f"<i>{text(place)}{', ' if place else ''}{day_words(header.at)}</i>", HEAD)
        rows.append([number, when])
    table = Table(rows, colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _centred(flowable: Flowable, width: float) -> Table:
    t = Table([[flowable]], colWidths=[width])
    t.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    return t


def signature_table(signatures: list[Signature], width: float) -> Table:
    cells = []
    for s in signatures:
        cell = [p(f"<b>{text(s.title)}</b>", CENTRE)]
        if s.note:
            cell.append(p(f"<i>{text(s.note)}</i>", CENTRE))
        cell.append(Spacer(1, 20 * mm))
        if s.name:
            cell.append(p(f"<b>{text(s.name)}</b>", CENTRE))
        cells.append(cell)
    table = Table([cells], colWidths=[width / len(signatures)] * len(signatures))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


SMALL_CELL = ParagraphStyle("small_cell", parent=CELL, fontSize=8.5, leading=10.5)
SMALL_CELL_HEAD = ParagraphStyle("small_cell_head", parent=CELL_HEAD, fontSize=8.5, leading=10.5)


# Left and right padding of a table cell (reportlab's default, 6 pt each side).
_CELL_PADDING = 12
# A column is never made wider than this share of the table for one long word: a file name or
# an address without spaces then wraps inside its cell instead of squeezing every other column.
_WORD_SHARE_MAX = 0.3
_TAGS = re.compile(r"<[^>]+>")


def _words(cell: object) -> list[str]:
    """The unbreakable pieces of a cell's text: what must fit on one line of its column."""
    raw = cell.text if isinstance(cell, Paragraph) else str(cell if cell is not None else "")
    plain = _TAGS.sub(" ", raw).replace("&nbsp;", " ")
    return unescape(plain).split()


def _word_width(word: str, style: ParagraphStyle, bold: bool = False) -> float:
    font = f"{FONT}-Bold" if bold else style.fontName
    return pdfmetrics.stringWidth(word, font, style.fontSize)


def column_widths(head: list[str], rows: list[list[object]], widths: list[float], *,
                  small: bool = False) -> list[float]:
    """`widths` (the intended share of each column, summing to the table's width) moved so that
    every column holds its longest word — a header word ("STT", "nhận"), a dossier code, a date —
    on one line: reportlab otherwise breaks a word that does not fit letter by letter. Columns
    with room to spare give it, in proportion to their spare room."""
    cell, cell_head = (SMALL_CELL, SMALL_CELL_HEAD) if small else (CELL, CELL_HEAD)
    total = sum(widths)
    need = []
    for i, _width in enumerate(widths):
        widest = max((_word_width(w, cell_head, bold=True) for w in _words(head[i])), default=0)
        for row in rows:
            if i < len(row):
                widest = max([widest, *(_word_width(w, cell) for w in _words(row[i]))])
        need.append(min(widest + _CELL_PADDING + 1, total * _WORD_SHARE_MAX))
    fitted = list(widths)
    for _round in range(len(widths)):
        short = sum(max(0.0, n - f) for n, f in zip(need, fitted, strict=True))
        if short <= 0.01:
            break
        spare = [max(0.0, f - n) for n, f in zip(need, fitted, strict=True)]
        room = sum(spare)
        if room <= 0:
            break
        take = min(short, room)
        fitted = [max(f, n) - (take * s / room) for f, n, s in
                  zip(fitted, need, spare, strict=True)]
    return fitted


def grid(head: list[str], rows: list[list[object]], widths: list[float], *,
         small: bool = False) -> Table:
    """A ruled table with a bold header row; cells wrap between words, never inside one (the
    columns are fitted to their longest words by `column_widths`)."""
    cell, cell_head = (SMALL_CELL, SMALL_CELL_HEAD) if small else (CELL, CELL_HEAD)
    data = [[p(text(h), cell_head) for h in head]]
    for row in rows:
        data.append([c if isinstance(c, Flowable) else p(text(c), cell) for c in row])
    table = Table(data, colWidths=column_widths(head, rows, widths, small=small), repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
    ]))
    return table


def qr_code(data: str, size: float = 28 * mm) -> Drawing:
    """A QR code of `data` as a reportlab drawing: placed in a PDF, or rendered to SVG."""
    widget = QrCodeWidget(data, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def render(form: Form) -> bytes:
    """The form as PDF bytes (A4; landscape for wide registers)."""
    pagesize = landscape(A4) if form.header.landscape else A4
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=pagesize, leftMargin=25 * mm, rightMargin=15 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm,
                            title=form.pdf_title or form.title, author=form.header.unit.name,
                            lang="vi")
    width = pagesize[0] - doc.leftMargin - doc.rightMargin
    story: list[Flowable] = [_header_table(form.header, width), p(text(form.title), TITLE)]
    if form.subtitle:
        story.append(p(text(form.subtitle), SUBTITLE))
    else:
        story.append(Spacer(1, 6))
    story.extend(form.body)
    if form.signatures:
        story.append(Spacer(1, 8))
        story.append(signature_table(form.signatures, width))
    doc.build(story)
    return buf.getvalue()


def content_width(landscape_page: bool = False) -> float:
    pagesize = landscape(A4) if landscape_page else A4
    return pagesize[0] - 40 * mm
