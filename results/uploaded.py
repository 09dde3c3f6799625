"""Issuing the draft the specialist uploaded as it is (issue #16).

When the specialist uploads the PDF they prepared, the head signs THAT document: its own pages,
unchanged, with a text layer stamped at the top of the first page that carries what only signing
knows — the number and symbol taken from the unit's result numbering, the date of issue, the
signer, and the verification code with its address (the QR code leads there too). The stamp is
drawn with reportlab in DejaVu Serif (Vietnamese letters) on a page of the document's size and
laid over the page as a form XObject in an incremental update, so the uploaded content stream is
kept byte for byte; the PAdES signatures (head, then seal) then cover the stamped document. The
preview stamps the same box with the number left to assign and "DỰ THẢO" across every page.

The box sits in the top margin, 2 to 19 mm from the top edge: Decree 30/2020/NĐ-CP, Appendix I,
Part I, Section I (page margins) sets a top margin of 20 to 25 mm, so the box covers no text of a
document laid out as the decree says.

A DOCX upload is converted to PDF with LibreOffice (`soffice`) when the server has it; without it
a DOCX cannot be issued as it is and the specialist is asked for a PDF (drafting.draft_save).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.graphics import renderPDF
from reportlab.lib.colors import Color, black, white
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from dossiers.printing.pdf import FONT, _register_fonts, local, qr_code

A4 = (595.2756, 841.8898)
BOX_HEIGHT = 17 * mm
SOFFICE_TIMEOUT = 120


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes) -> bytes | None:
    """The DOCX converted by LibreOffice; None when it is not installed or fails."""
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="motcua-docx-") as folder:
        source = Path(folder) / "du-thao.docx"
        source.write_bytes(data)
        try:
            subprocess.run([soffice, "--headless", "--norestore", "--convert-to", "pdf",
                            "--outdir", folder, str(source)], check=True,
                           capture_output=True, timeout=SOFFICE_TIMEOUT,
                           env={"HOME": folder, "PATH": "/usr/bin:/bin"})
        except (OSError, subprocess.SubprocessError):
            return None
        out = Path(folder) / "du-thao.pdf"
        return out.read_bytes() if out.is_file() else None


def _page_size(reader: PdfFileReader, index: int) -> tuple[float, float]:
    """The page's MediaBox (inherited from the page tree when the page has none)."""
    node = reader.root["/Pages"]
    page = _page(node, index)
    while page is not None:
        box = page.get("/MediaBox")
        if box is not None:
            x0, y0, x1, y1 = (float(v) for v in box)
            return abs(x1 - x0), abs(y1 - y0)
        parent = page.get("/Parent")
        page = parent.get_object() if parent is not None else None
    return A4


def _page(node, index: int):
    """The index-th leaf of the page tree."""
    for kid in node["/Kids"]:
        kid = kid.get_object()
        if kid.get("/Type") == "/Pages":
            count = int(kid.get("/Count", 0))
            if index < count:
                return _page(kid, index)
            index -= count
        else:
            if index == 0:
                return kid
            index -= 1
    return None


def page_count(content: bytes) -> int:
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    return int(reader.root["/Pages"].get("/Count", 0))


def _overlay(size: tuple[float, float], lines: list[str], *, qr_url: str,
             draft: bool, box: bool) -> bytes:
    _register_fonts()
    width, height = size
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=size)
    if box:
        left, bottom = 15 * mm, height - 2 * mm - BOX_HEIGHT
        c.setFillColor(white)
        c.setStrokeColor(black)
        c.setLineWidth(0.6)
        c.rect(left, bottom, width - 30 * mm, BOX_HEIGHT, fill=1, stroke=1)
        c.setFillColor(black)
        text_left = left + 2 * mm
        if qr_url:
            drawing = qr_code(qr_url, size=BOX_HEIGHT - 2 * mm)
            renderPDF.draw(drawing, c, width - 15 * mm - BOX_HEIGHT + 1 * mm, bottom + 1 * mm)
        y = bottom + BOX_HEIGHT - 4.5 * mm
        room = width - 30 * mm - 4 * mm - (BOX_HEIGHT if qr_url else 0)
        for n, line in enumerate(lines):
            font, size = (f"{FONT}-Bold", 8.5) if n == 0 else (FONT, 7.0)
            # A long signer's name or address shrinks to fit the box rather than run out of it.
            while size > 4.5 and stringWidth(line, font, size) > room:
                size -= 0.5
            c.setFont(font, size)
            c.drawString(text_left, y, line)
            y -= 4 * mm
    if draft:
        c.saveState()
        c.setFillColor(Color(0.8, 0, 0, alpha=0.18))
        c.setFont(f"{FONT}-Bold", 90)
        c.translate(width / 2, height / 2)
        c.rotate(45)
        c.drawCentredString(0, -30, "DỰ THẢO")
        c.restoreState()
    c.showPage()
    c.save()
    return out.getvalue()


def pdf_stamp(content: bytes, lines: list[str], *, qr_url: str = "",
              draft: bool = False) -> bytes:
    """`content` with the box of `lines` over the top of its first page (and "DỰ THẢO" across
    every page for a preview), as one incremental update."""
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    pages = int(reader.root["/Pages"].get("/Count", 0))
    for index in range(pages if draft else min(pages, 1)):
        overlay = _overlay(_page_size(reader, index), lines if index == 0 else [],
                           qr_url=qr_url if index == 0 else "", draft=draft, box=index == 0)
        xobject = writer.import_page_as_xobject(
            PdfFileReader(io.BytesIO(overlay), strict=False), page_ix=0)
        name = "/MotcuaDongSo"
        stream = writer.add_object(generic.StreamObject(
            stream_data=f"q {name} Do Q".encode()))
        resources = generic.DictionaryObject({
            generic.NameObject("/XObject"): generic.DictionaryObject(
                {generic.NameObject(name): xobject})})
        writer.add_stream_to_page(index, stream, resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stamp_lines(*, number: str, issued_at, signer: str, uid: str, verify_url: str,
                draft: bool) -> list[str]:
    """What the box says: the number and date first (Decree 30/2020, Article 8(1)(b, c))."""
    day = local(issued_at)
    when = f"ngày {day:%d} tháng {day:%m} năm {day:%Y}" if day else ""
    if draft:
        return [f"DỰ THẢO — Số: {number} (cấp khi ký) — {when} nếu ký hôm nay",
                f"Người ký: {signer}" if signer else "Người ký: lãnh đạo phê duyệt hồ sơ",
                "Văn bản tải lên được ban hành nguyên văn; ô này ghi số, ngày ban hành và mã "
                "xác thực khi ký."]
    return [f"Số: {number} — Ban hành {when}",
            f"Ký số: {signer}" if signer else "Ký số bởi cơ quan ban hành",
            f"Mã xác thực: {uid}",
            f"Kiểm tra chữ ký số tại: {verify_url}"]
