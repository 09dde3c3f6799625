"""Result documents: one template per kind of result, drawn with the project's form layout.

A result is an administrative document (Decree 30/2020/NĐ-CP): issuing unit under its parent,
national name and motto, number, place and date, title, body, the signer. Each kind below (a
decision, a certificate or licence, an extract, a plain written answer) only decides its title and
body; `dossiers/printing/pdf.py` draws everything they share, with the DejaVu fonts embedded.
A QR code at the foot leads to the public verification page of this very document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from accounts.models import Unit
from catalog.text import fold
from dossiers.printing.pdf import (
    CENTRE,
    FONT,
    SMALL,
    Form,
    Header,
    content_width,
    hour_and_day,
    p,
    qr_code,
    render,
    text,
)


@dataclass
class ResultFacts:
    """Everything a result document prints."""

    uid: str
    title: str
    result_code: str
    document_number: str
    issuer: Unit
    issued_at: datetime
    valid_until: date | None
    owner_name: str
    owner_id_number: str
    owner_address: str
    procedure_name: str
    procedure_code: str
    dossier_code: str
    summary: str
    signer_name: str
    signer_title: str
    verify_url: str
    # The drafted text (results/drafting.py); empty: the template's text for the result kind.
    subject: str = ""
    body: str = ""
    recipients: str = ""
    # The signature block's lines above the signature (results/signature_blocks.py).
    signature_lines: tuple[str, ...] = ()
    issuing_body: str = ""
    # A preview: "DỰ THẢO" across every page, the number left to be assigned.
    draft: bool = False


def _owner_lines(f: ResultFacts) -> list[str]:
    rows = [f"Ông/bà/tổ chức: {f.owner_name}"]
    if f.owner_id_number:
        personal = len(f.owner_id_number) == 12 and f.owner_id_number.isdigit()
        label = "Số định danh cá nhân" if personal else "Mã số doanh nghiệp"
        rows.append(f"{label}: {f.owner_id_number}")
    if f.owner_address:
        rows.append(f"Địa chỉ: {f.owner_address}")
    return rows


def _validity(f: ResultFacts) -> str:
    until = f"đến hết ngày {f.valid_until:%d/%m/%Y}" if f.valid_until else "không thời hạn"
    return f"Giấy tờ này có giá trị {until} kể từ ngày ký."


# The template text of each kind of result, with the dossier's data filled in: what a draft
# starts from, and what a result issued without a draft (through the API) prints.

def _decision(f: ResultFacts) -> list[str]:
    return [
        f"Căn cứ quy định của thủ tục hành chính “{f.procedure_name}” (mã {f.procedure_code});",
        f"Xét hồ sơ số {f.dossier_code} và đề nghị của bộ phận chuyên môn,",
        "QUYẾT ĐỊNH:",
        f"Điều 1. {f.title} cho:",
        *_owner_lines(f),
        f"Nội dung: {f.summary or f.procedure_name}.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        "Điều 3. Ông/bà/tổ chức có tên tại Điều 1 và các cơ quan, đơn vị liên quan chịu trách "
        "nhiệm thi hành Quyết định này.",
    ]


def _certificate(f: ResultFacts) -> list[str]:
    return [
        f"{(f.issuing_body or f.issuer.name).upper()} chứng nhận:",
        *_owner_lines(f),
        f"Đã được giải quyết thủ tục “{f.procedure_name}” theo hồ sơ số {f.dossier_code}.",
        f"Nội dung: {f.summary or f.title}.",
        _validity(f),
    ]


def _extract(f: ResultFacts) -> list[str]:
    return [
        "Trích từ sổ, cơ sở dữ liệu do cơ quan quản lý, các thông tin sau:",
        *_owner_lines(f),
        f"Thủ tục: {f.procedure_name} (mã {f.procedure_code}).",
        f"Nội dung: {f.summary or f.title}.",
        _validity(f),
    ]


def _answer(f: ResultFacts) -> list[str]:
    return [
        f"Kính gửi: {f.owner_name}",
        f"{f.issuing_body or f.issuer.name} đã giải quyết xong hồ sơ số {f.dossier_code} về "
        f"thủ tục “{f.procedure_name}”. Kết quả như sau:",
        f"{f.summary or f.title}.",
        *_owner_lines(f)[1:],
    ]


def template_subject(f: ResultFacts) -> str:
    """The subject line (trích yếu) a draft starts from (Decree 30/2020, Appendix I, Part I,
    Section II, item 5)."""
    return f"Về việc giải quyết hồ sơ {f.dossier_code} của {f.owner_name}"


def template_recipients(f: ResultFacts) -> str:
    """“Nơi nhận” a draft starts from (Decree 30/2020, Appendix I, Part I, Section II, item 9)."""
    return f"- {f.owner_name};\n- Bộ phận Một cửa;\n- Lưu: VT, hồ sơ {f.dossier_code}."


@dataclass(frozen=True)
class ResultType:
    key: str
    label: str
    # Words that start the catalogue's result name for this kind (compared without diacritics).
    prefixes: tuple[str, ...]
    suffix: str  # of the document number, e.g. 12/QĐ-STP
    body: Callable[[ResultFacts], list[str]]
    validity_days: int | None = None


RESULT_TYPES: dict[str, ResultType] = {t.key: t for t in [
    ResultType("decision", "Quyết định", ("quyet dinh",), "QĐ", _decision),
    ResultType("certificate", "Giấy chứng nhận, giấy phép, chứng chỉ",
               ("giay chung nhan", "giay phep", "chung chi", "the ", "giay khai sinh"), "GCN",
               _certificate),
    ResultType("extract", "Trích lục, phiếu, bản sao", ("trich luc", "phieu", "ban sao"), "TL",
               _extract),
    ResultType("answer", "Văn bản trả lời kết quả", (), "KQ", _answer),
]}

def result_name(result_text: str) -> str:
    """The first result the catalogue names.

    'Giấy khai sinhMã: KQ.G15.000031…' → 'Giấy khai sinh'.
    """
    first = re.split(r"Mã\s*:", result_text or "", maxsplit=1)[0]
    first = first.strip().lstrip("-–• ").strip().rstrip(".;,")
    return first[:300]


# A pure function of the catalogue's result name, asked twice an approval (the number's kind,
# then what the result prints) for one of a few hundred names: kept per worker (issue #18).
@lru_cache(maxsize=1024)
def result_type_for(name: str) -> ResultType:
    folded = fold(name)
    for t in RESULT_TYPES.values():
        if any(folded.startswith(prefix) for prefix in t.prefixes):
            return t
    return RESULT_TYPES["answer"]


def _verification_box(f: ResultFacts, width: float) -> Table:
    words = [
        p("<b>Văn bản điện tử đã được ký số.</b>", SMALL),
        p(f"Mã xác thực: {text(f.uid)}", SMALL),
        p(f"Kiểm tra chữ ký số và tính nguyên vẹn tại: {text(f.verify_url)}", SMALL),
        p(f"Mã kết quả: {text(f.result_code or '—')}. Ký lúc {hour_and_day(f.issued_at)}.",
          SMALL),
    ]
    table = Table([[qr_code(f.verify_url, 26 * mm), words]],
                  colWidths=[30 * mm, width - 30 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("BOX", (0, 0), (-1, -1), 0.5, "#555555")]))
    return table


def template_body(facts: ResultFacts, result_type: ResultType) -> str:
    return "\n".join(result_type.body(facts))


_ARTICLE = re.compile(r"^(Điều \d+\.)(.*)$")


def body_flowables(body: str) -> list[Flowable]:
    """The drafted text, one paragraph a line: “Điều n.” and “QUYẾT ĐỊNH:” in bold, the legal
    bases (“Căn cứ …”, “Xét …”) in italics, as Decree 30/2020 Appendix I lays a decision out."""
    out: list[Flowable] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            out.append(Spacer(1, 4))
            continue
        article = _ARTICLE.match(line)
        if article:
            out.append(p(f"<b>{text(article.group(1))}</b>{text(article.group(2))}"))
        elif line.rstrip(":").isupper():
            out.append(p(f"<b>{text(line)}</b>", CENTRE))
        elif line.startswith(("Căn cứ", "Xét ")):
            out.append(p(f"<i>{text(line)}</i>"))
        else:
            out.append(p(text(line)))
    return out


def _closing(facts: ResultFacts, width: float) -> Table:
    """“Nơi nhận” on the left, the signature block on the right (Decree 30/2020, Appendix I,
    Part I, Section II, items 7 and 9)."""
    lines = [ln.strip() for ln in (facts.recipients or "").splitlines() if ln.strip()]
    left: list[Flowable] = []
    if lines:
        left.append(p("<b><i>Nơi nhận:</i></b>", SMALL))
        left.extend(p(text(ln), SMALL) for ln in lines)
    heading = facts.signature_lines or ((facts.signer_title or "Lãnh đạo").upper(),)
    right: list[Flowable] = [p(f"<b>{text(ln)}</b>", CENTRE) for ln in heading]
    right.append(p("<i>(Đã ký số)</i>", CENTRE))
    right.append(Spacer(1, 16 * mm))
    if facts.signer_name:
        right.append(p(f"<b>{text(facts.signer_name)}</b>", CENTRE))
    table = Table([[left, right]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


DRAFT_MARK = "DỰ THẢO"


def _draft_mark(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(f"{FONT}-Bold", 72)
    canvas.setFillColor(Color(0.85, 0.1, 0.1, alpha=0.18))
    canvas.translate(doc.pagesize[0] / 2, doc.pagesize[1] / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, 0, DRAFT_MARK)
    canvas.restoreState()


def result_render(facts: ResultFacts, result_type: ResultType) -> bytes:
    """The result as PDF bytes, not yet signed. A draft's preview is this same rendering with
    `facts.draft` set: the mark across the page is the only difference, besides the number and
    the verification code that only issuing assigns."""
    width = content_width()
    body = body_flowables(facts.body or template_body(facts, result_type))
    # The closing block first, then the verification box at the foot.
    body += [Spacer(1, 8), _closing(facts, width), Spacer(1, 10),
             _verification_box(facts, width)]
    subject = facts.subject.strip()
    return render(Form(
        header=Header(unit=facts.issuer, number=facts.document_number, at=facts.issued_at,
                      name=facts.issuing_body),
        title=facts.title.upper(), subtitle=subject, body=body,
        pdf_title=f"{facts.title} — {facts.document_number}",
        on_page=_draft_mark if facts.draft else None))
