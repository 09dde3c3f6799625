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

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from accounts.models import Unit
from catalog.text import fold
from dossiers.printing.pdf import (
    BODY,
    SMALL,
    Form,
    Header,
    Signature,
    content_width,
    hour_and_day,
    p,
    qr_code,
    render,
    signature_table,
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


def _owner_line(f: ResultFacts) -> list[Flowable]:
    rows = [p(f"Ông/bà/tổ chức: <b>{text(f.owner_name)}</b>")]
    if f.owner_id_number:
        personal = len(f.owner_id_number) == 12 and f.owner_id_number.isdigit()
        label = "Số định danh cá nhân" if personal else "Mã số doanh nghiệp"
        rows.append(p(f"{label}: {text(f.owner_id_number)}"))
    if f.owner_address:
        rows.append(p(f"Địa chỉ: {text(f.owner_address)}"))
    return rows


def _validity(f: ResultFacts) -> Flowable:
    until = f"đến hết ngày {f.valid_until:%d/%m/%Y}" if f.valid_until else "không thời hạn"
    return p(f"Giấy tờ này có giá trị {until} kể từ ngày ký.")


def _decision(f: ResultFacts) -> list[Flowable]:
    return [
        p(f"<i>Căn cứ quy định của thủ tục hành chính “{text(f.procedure_name)}” (mã "
          f"{text(f.procedure_code)});</i>"),
        p(f"<i>Xét hồ sơ số {text(f.dossier_code)} và đề nghị của bộ phận chuyên môn,</i>"),
        Spacer(1, 4),
        p("<b>QUYẾT ĐỊNH:</b>", BODY),
        p(f"<b>Điều 1.</b> {text(f.title)} cho:"),
        *_owner_line(f),
        p(f"Nội dung: {text(f.summary or f.procedure_name)}."),
        p("<b>Điều 2.</b> Quyết định này có hiệu lực kể từ ngày ký."),
        p("<b>Điều 3.</b> Ông/bà/tổ chức có tên tại Điều 1 và các cơ quan, đơn vị liên quan "
          "chịu trách nhiệm thi hành Quyết định này."),
    ]


def _certificate(f: ResultFacts) -> list[Flowable]:
    return [
        p(f"<b>{text(f.issuer.name.upper())}</b> chứng nhận:", BODY),
        *_owner_line(f),
        p(f"Đã được giải quyết thủ tục “{text(f.procedure_name)}” theo hồ sơ số "
          f"{text(f.dossier_code)}."),
        p(f"Nội dung: {text(f.summary or f.title)}."),
        _validity(f),
    ]


def _extract(f: ResultFacts) -> list[Flowable]:
    return [
        p("Trích từ sổ, cơ sở dữ liệu do cơ quan quản lý, các thông tin sau:"),
        *_owner_line(f),
        p(f"Thủ tục: {text(f.procedure_name)} (mã {text(f.procedure_code)})."),
        p(f"Nội dung: {text(f.summary or f.title)}."),
        _validity(f),
    ]


def _answer(f: ResultFacts) -> list[Flowable]:
    return [
        p(f"Kính gửi: <b>{text(f.owner_name)}</b>"),
        p(f"{text(f.issuer.name)} đã giải quyết xong hồ sơ số {text(f.dossier_code)} về thủ tục "
          f"“{text(f.procedure_name)}”. Kết quả như sau:"),
        p(f"{text(f.summary or f.title)}."),
        *_owner_line(f)[1:],
    ]


@dataclass(frozen=True)
class ResultType:
    key: str
    label: str
    # Words that start the catalogue's result name for this kind (compared without diacritics).
    prefixes: tuple[str, ...]
    suffix: str  # of the document number, e.g. 12/QĐ-STP
    body: Callable[[ResultFacts], list[Flowable]]
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


def result_render(facts: ResultFacts, result_type: ResultType) -> bytes:
    """The result as PDF bytes, not yet signed."""
    width = content_width()
    signatures = [Signature(title="", note="", name=""),
                  Signature(title=(facts.signer_title or "Lãnh đạo").upper(), note="(Đã ký số)",
                            name=facts.signer_name)]
    # Signatures first, then the verification box at the foot (render() would put the
    # signatures last, so they are drawn as part of the body here).
    body = result_type.body(facts) + [
        Spacer(1, 8), signature_table(signatures, width), Spacer(1, 10),
        _verification_box(facts, width)]
    return render(Form(
        header=Header(unit=facts.issuer, number=facts.document_number, at=facts.issued_at),
        title=facts.title.upper(), body=body,
        pdf_title=f"{facts.title} — {facts.document_number}"))
