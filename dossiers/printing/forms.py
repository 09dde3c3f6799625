"""Forms 01–06 of Circular 03/2025/TT-VPCP as PDF (domain.md §4).

Each function takes what the form shows and returns PDF bytes; the pages that serve them
(dossiers/views/pdf.py) fetch the facts through dossiers.selectors. Forms 02, 03 and 04 carry the
number given to them when the action that issues them was taken (dossiers/documents.py).
"""

from __future__ import annotations

from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from accounts.models import Unit
from catalog.models import Fee
from dossiers.deadlines import TZ
from dossiers.models import Dossier, DossierDocument, DossierEvent
from dossiers.printing.pdf import (
    CELL,
    SMALL,
    SMALL_CELL,
    Form,
    Header,
    Signature,
    content_width,
    grid,
    hour_and_day,
    p,
    qr_code,
    render,
    text,
)
from dossiers.selectors import SlipRow


def _limit(dossier: Dossier) -> str:
    if dossier.limit_amount is None:
        return "…"
    return f"{dossier.limit_amount.normalize():f} {dossier.get_limit_unit_display()}"


def _fees(fees: list[Fee]) -> str:
    if not fees:
        return "Không thu"
    parts = []
    for fee in fees:
        if fee.amount is not None:
            parts.append(f"{fee.name}: {fee.amount:,} đồng".replace(",", "."))
        else:
            parts.append(f"{fee.name}: {fee.description or '…'}")
    return "; ".join(parts)


def _applicant_lines(dossier: Dossier) -> list:
    lines = [
        p(f"Ông/bà/tổ chức: <b>{text(dossier.applicant_name)}</b>"),
        p(f"Số định danh cá nhân/mã số doanh nghiệp: {text(dossier.applicant_id_number or '…')}"),
        p(f"Địa chỉ: {text(dossier.applicant_address or '…')}"),
        p(f"Số điện thoại: {text(dossier.applicant_phone or '…')}"
          f"&nbsp;&nbsp;&nbsp;Thư điện tử: {text(dossier.applicant_email or '…')}"),
    ]
    if dossier.owner_name:
        lines.append(p(f"Nộp thay theo ủy quyền của: {text(dossier.owner_name)}"
                       + (f", số định danh {text(dossier.owner_id_number)}"
                          if dossier.owner_id_number else "")))
    return lines


def form01(dossier: Dossier, *, documents: list[DossierDocument], fees: list[Fee],
           receiver_name: str, lookup_url: str, lookup_secret: str = "") -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with the QR code that leads to the status page."""
    width = content_width()
    appointment = dossier.original_due_at or dossier.due_at
    rows = [[i, d.name, d.get_copy_kind_display(), d.count]
            for i, d in enumerate(documents, start=1)]
    body = [
        p(f"Bộ phận tiếp nhận và trả kết quả {text(dossier.receiving_unit.name)} "
          "tiếp nhận hồ sơ của:"),
        *_applicant_lines(dossier),
        p(f"Nội dung yêu cầu giải quyết: {text(dossier.summary or dossier.procedure.name)}"),
        p("1. Thành phần hồ sơ nộp gồm:"),
        grid(["TT", "Tên giấy tờ", "Hình thức", "Số lượng"], rows,
             [10 * mm, width - 75 * mm, 45 * mm, 20 * mm]) if rows else p("(không có)"),
        Spacer(1, 4),
        p(f"2. Số lượng hồ sơ: {dossier.sets_count} (bộ)"),
        p(f"3. Thời gian giải quyết hồ sơ theo quy định là: {text(_limit(dossier))}"),
        p(f"4. Thời gian nhận hồ sơ: {hour_and_day(dossier.received_at)}"),
        p(f"5. Thời gian trả kết quả giải quyết hồ sơ: <b>{hour_and_day(appointment)}</b>"),
        p("6. Đăng ký nhận kết quả tại: "
          + text(dossier.return_method or dossier.receiving_unit.name)
          + (f" — {text(dossier.receiving_unit.address)}" if dossier.receiving_unit.address
             else "")),
        p(f"7. Phí, lệ phí: {text(_fees(fees))}"),
        p(f"Vào Sổ theo dõi hồ sơ điện tử, mã hồ sơ {text(dossier.code)}."),
    ]
    lookup = [p("<b>Tra cứu tình trạng hồ sơ</b>", SMALL),
              p(f"Quét mã QR hoặc vào {text(lookup_url)}", SMALL)]
    if lookup_secret:
        lookup.append(p(f"Mã bí mật tra cứu: <b>{text(lookup_secret)}</b>", SMALL))
    box = Table([[qr_code(lookup_url), lookup]], colWidths=[32 * mm, width - 32 * mm])
    box.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    body += [Spacer(1, 4), box]
    return render(Form(
        header=Header(unit=dossier.receiving_unit, number=dossier.code, at=dossier.received_at),
        title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        subtitle=f"Mã hồ sơ: {dossier.code}",
        body=body,
        signatures=[Signature("NGƯỜI NỘP HỒ SƠ", name=dossier.applicant_name),
                    Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", name=receiver_name)],
        pdf_title=f"Giấy tiếp nhận hồ sơ {dossier.code}",
    ))


def form02(dossier: Dossier, event: DossierEvent, *, contact_phone: str = "") -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    unit = event.actor_unit or dossier.receiving_unit
    missing = event.data.get("missing_documents") or []
    body = [
        p(f"Hồ sơ của: <b>{text(dossier.applicant_name)}</b>"),
        p(f"Nội dung yêu cầu giải quyết: {text(dossier.summary or dossier.procedure.name)}"),
        # An online dossier asked to complete its papers at the desk's check was never received:
        # the form says when it was submitted, not a receipt that did not happen.
        p(f"Mã hồ sơ: {text(dossier.code)}; ngày nhận: {hour_and_day(dossier.received_at)}"
          if dossier.received_at else
          f"Mã hồ sơ: {text(dossier.code)}; ngày nộp trực tuyến: "
          f"{hour_and_day(dossier.submitted_at)} (chưa tiếp nhận)"),
        p("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"),
        *[p(f"{i}. {text(name)}") for i, name in enumerate(missing, start=1)],
        p(f"Lý do: {text(event.reason)}"),
        p("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ với "
          f"{text(event.actor_name)}"
          + (f", số điện thoại {text(contact_phone)}" if contact_phone else "")
          + " để được hướng dẫn."),
    ]
    return render(Form(
        header=Header(unit=unit, number=event.data.get("document_number", ""), at=event.at),
        title="PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        body=body,
        signatures=[Signature("NGƯỜI HƯỚNG DẪN", name=event.actor_name)],
        pdf_title=f"Phiếu yêu cầu bổ sung hồ sơ {dossier.code}",
    ))


def form03(dossier: Dossier, event: DossierEvent) -> bytes:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    unit = event.actor_unit or dossier.receiving_unit
    body = [
        p(f"Bộ phận tiếp nhận và trả kết quả {text(unit.name)} tiếp nhận hồ sơ của:"),
        *_applicant_lines(dossier),
        p(f"Mã hồ sơ: {text(dossier.code)}"),
        p(f"Nội dung yêu cầu giải quyết: {text(dossier.summary or dossier.procedure.name)}"),
        p("Sau khi xem xét, đối chiếu thành phần hồ sơ, cơ quan từ chối tiếp nhận, giải quyết "
          "hồ sơ này với lý do cụ thể như sau:"),
        p(f"<b>{text(event.reason)}</b>"),
        p("Xin trân trọng thông báo!"),
    ]
    return render(Form(
        header=Header(unit=unit, number=event.data.get("document_number", ""), at=event.at),
        title="PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        body=body,
        signatures=[Signature("NGƯỜI NỘP HỒ SƠ", name=dossier.applicant_name),
                    Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", name=event.actor_name)],
        pdf_title=f"Phiếu từ chối tiếp nhận hồ sơ {dossier.code}",
    ))


def form04(dossier: Dossier, event: DossierEvent) -> bytes:
    """Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết, signed by the head of the agency."""
    unit = event.actor_unit or dossier.competent_unit
    previous = event.data.get("previous_due_at")
    new_due = event.data.get("new_due_at")
    previous_at = datetime.fromisoformat(previous) if previous else None
    new_at = datetime.fromisoformat(new_due) if new_due else None
    body = [
        p(f"Kính gửi: <b>{text(dossier.applicant_name)}</b>"),
        p(f"Ngày {hour_and_day(dossier.received_at)}, {text(dossier.receiving_unit.name)} "
          "tiếp nhận hồ sơ của ông/bà:"),
        p(f"Nội dung yêu cầu giải quyết: {text(dossier.summary or dossier.procedure.name)}"),
        p(f"Số định danh cá nhân/mã số doanh nghiệp: {text(dossier.applicant_id_number or '…')}"),
        p(f"Mã hồ sơ: {text(dossier.code)}"),
        p(f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {hour_and_day(previous_at)}"),
        p(f"Tuy nhiên đến nay, {text(unit.name)} chưa trả kết quả giải quyết hồ sơ của ông/bà."),
        p(f"Lý do: {text(event.reason)}"),
        p(f"Sự chậm trễ này đã gây phiền hà cho ông/bà. {text(unit.name)} xin lỗi ông/bà và sẽ "
          f"trả kết quả giải quyết hồ sơ cho ông/bà vào <b>{hour_and_day(new_at)}</b>."),
        p("Xin trân trọng cảm ơn!"),
    ]
    return render(Form(
        header=Header(unit=unit, number=event.data.get("document_number", ""), at=event.at),
        title="PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        body=body,
        signatures=[Signature("THỦ TRƯỞNG CƠ QUAN", note="(Ký, ghi rõ họ tên và đóng dấu)",
                              name=event.actor_name)],
        pdf_title=f"Phiếu xin lỗi và gia hạn {dossier.code}",
    ))


def form05(dossier: Dossier, rows: list[SlipRow]) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per hand-off."""
    width = content_width()
    facts = [
        p(f"Mã hồ sơ: <b>{text(dossier.code)}</b>"),
        p(f"Thủ tục: {text(dossier.procedure.name)}"),
        p(f"Người nộp: {text(dossier.applicant_name)}"),
        p(f"Cơ quan chủ trì giải quyết: {text(dossier.competent_unit.name)}"),
    ]
    coordinating = getattr(dossier.procedure, "coordinating_agencies", "")
    if coordinating:
        facts.append(p(f"Cơ quan phối hợp giải quyết: {text(coordinating)}"))
    facts += [
        p(f"Thời gian nhận hồ sơ: {hour_and_day(dossier.received_at)}"),
        p(f"Thời gian hẹn trả kết quả: {hour_and_day(dossier.original_due_at or dossier.due_at)}"),
        Spacer(1, 4),
    ]
    table = grid(
        ["Tên cơ quan", "Thời gian giao, nhận hồ sơ", "Người giao", "Người nhận", "Kết quả",
         "Ghi chú"],
        [[r.unit, p(f"{r.at.astimezone(TZ):%H:%M %d/%m/%Y}<br/>{text(r.label)}", CELL), r.giver,
          r.receiver,
          r.timing_label, r.note] for r in rows],
        [w * width for w in (0.2, 0.2, 0.15, 0.2, 0.1, 0.15)],
    )
    return render(Form(
        header=Header(unit=dossier.receiving_unit),
        title="PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        subtitle=f"Mã hồ sơ: {dossier.code}",
        body=[*facts, table],
        pdf_title=f"Phiếu kiểm soát {dossier.code}",
    ))


def form06(unit: Unit, first: date, last: date, dossiers: list[Dossier]) -> bytes:
    """Sổ theo dõi hồ sơ for a period (landscape)."""
    width = content_width(landscape_page=True)

    def when(moment):
        if moment is None:
            return ""
        m = moment.astimezone(TZ)
        return p(f"{m:%H:%M}<br/>{m:%d/%m/%Y}", SMALL_CELL)

    rows = [[i, d.code, d.procedure.name, d.applicant_name,
             "; ".join(x for x in (d.applicant_address, d.applicant_phone) if x),
             d.competent_unit.name, when(d.received_at), when(d.due_at),
             when(d.returned_at), d.return_method, ""]
            for i, d in enumerate(dossiers, start=1)]
    shares = (0.03, 0.14, 0.145, 0.1, 0.115, 0.1, 0.085, 0.085, 0.085, 0.07, 0.045)
    table = grid(["STT", "Mã hồ sơ", "Tên thủ tục", "Tên cá nhân, tổ chức",
                  "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Nhận hồ sơ",
                  "Hẹn trả kết quả", "Trả kết quả", "Hình thức nhận kết quả", "Ký nhận"],
                 rows, [s * width for s in shares], small=True)
    return render(Form(
        header=Header(unit=unit, landscape=True),
        title="SỔ THEO DÕI HỒ SƠ",
        subtitle=f"Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}",
        body=[table] if rows else [p("Không có hồ sơ nào trong khoảng thời gian này.")],
        pdf_title=f"Sổ theo dõi hồ sơ {first:%d/%m/%Y}–{last:%d/%m/%Y}",
    ))
