"""The payment receipt as PDF (biên lai thu phí, lệ phí), drawn with the project's form toolkit.

It records what was paid, by what channel and who confirmed it. It is the system's own receipt,
not an e-receipt registered with the tax authority (Decree 123/2020 and its circulars need a
provider-issued series and the tax authority's code) — an installation that must issue those
sends the paid payment to its provider; this document stays the applicant's proof of payment.
"""

from dossiers.printing.pdf import (
    Form,
    Header,
    Signature,
    content_width,
    grid,
    hour_and_day,
    p,
    render,
    text,
)
from motcua.masking import id_number_masked
from payments.models import Payment, PaymentState, Source


def _dong(amount: int | None) -> str:
    return "—" if amount is None else f"{amount:,}".replace(",", ".")


def receipt_pdf(payment: Payment) -> bytes:
    """The receipt of a paid (or since refunded) payment."""
    if payment.state not in (PaymentState.PAID, PaymentState.REFUNDED):
        raise ValueError("only a paid payment has a receipt")
    dossier = payment.dossier
    width = content_width()
    lines = list(payment.lines.all())
    rows = [[str(i), line.name + (f" (miễn: {line.exempt_reason})" if line.exempt_reason else ""),
             _dong(line.amount)] for i, line in enumerate(lines, start=1)]
    rows.append(["", "Tổng cộng", _dong(payment.amount)])
    confirm = payment.events.filter(action="confirm").order_by("-seq").first()
    collector = (confirm.actor_name if confirm and confirm.actor_name else
                 "Hệ thống thanh toán")
    body = [
        # The receipt opens from the payment link sent by SMS, which others may read: the ID
        # number is masked (motcua/masking.py); the name is what the receipt certifies.
        p(f"Người nộp: <b>{text(dossier.applicant_name)}</b>"
          + (f"; số giấy tờ: {text(id_number_masked(dossier.applicant_id_number))}"
             if dossier.applicant_id_number else "")),
        p(f"Hồ sơ: {text(dossier.code)} — {text(dossier.procedure.name)}"),
        p(f"Mã thanh toán: <b>{text(payment.reference)}</b>"),
        grid(["STT", "Khoản phí, lệ phí", "Số tiền (đồng)"], rows,
             [width * 0.08, width * 0.67, width * 0.25]),
        p(f"Hình thức nộp: {text(payment.get_method_display() or '—')}"
          + (f"; mã giao dịch: {text(payment.transaction_id)}" if payment.transaction_id
             else "")),
        p(f"Thời điểm nộp: {hour_and_day(payment.paid_at)}; xác nhận bởi: "
          f"{text(payment.get_confirmed_by_display() or Source.SYSTEM.label)}."),
    ]
    if payment.state == PaymentState.REFUNDED:
        body.append(p("<b>Khoản tiền này đã được hoàn trả.</b>"))
    return render(Form(
        header=Header(unit=dossier.competent_unit, number=payment.reference, at=payment.paid_at),
        title="BIÊN LAI THU PHÍ, LỆ PHÍ",
        body=body,
        signatures=[Signature("NGƯỜI THU TIỀN", note="", name=collector)],
        pdf_title=f"Biên lai thu phí, lệ phí {payment.reference}",
    ))
