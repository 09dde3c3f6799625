"""The payment callback (IPN) of the gateway and of the bank's statement feed.

Checked in this order, each failure logged (CallbackLog + the motcua.payments logger) and
answered without touching any payment or dossier: the HMAC signature over the raw body, the body,
our merchant code, a known reference, the exact amount. A transaction already applied is answered
as a duplicate and changes nothing; a second "paid" for a payment already paid counts once.
"""

import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from motcua.nul import has_nul
from payments.gateway import signature_valid
from payments.models import CallbackLog, Method, Payment, PaymentState, Source
from payments.services.confirmation import payment_confirm
from payments.services.ledger import payment_transition

log = logging.getLogger("motcua.payments")

Outcome = CallbackLog.Outcome
SOURCES = {"gateway": (Source.GATEWAY, Method.GATEWAY), "bank": (Source.BANK, Method.TRANSFER)}

# reason → HTTP status of the answer
REJECTIONS = {
    "bad_signature": 401, "malformed": 400, "wrong_merchant": 400, "unknown_reference": 404,
    "amount_mismatch": 409, "invalid_state": 409,
}
MESSAGES = {
    "bad_signature": ("Chữ ký HMAC không hợp lệ.", "Invalid HMAC signature."),
    "malformed": ("Nội dung thông báo không hợp lệ.", "Malformed callback body."),
    "wrong_merchant": ("Mã đơn vị chấp nhận thanh toán không đúng.", "Unknown merchant code."),
    "unknown_reference": ("Không có khoản thanh toán với mã này.", "Unknown payment reference."),
    "amount_mismatch": ("Số tiền không khớp với khoản phải nộp.",
                        "The amount does not match the payment."),
    "invalid_state": ("Khoản thanh toán không ở trạng thái nhận được thông báo này.",
                      "The payment cannot take this callback in its present state."),
}


@dataclass
class CallbackResult:
    outcome: str
    reason: str = ""
    payment: Payment | None = None

    @property
    def http_status(self) -> int:
        return REJECTIONS.get(self.reason, 200) if self.outcome == Outcome.REJECTED else 200

    @property
    def message(self) -> tuple[str, str]:
        return MESSAGES.get(self.reason, ("", ""))


def _record(outcome: str, reason: str, *, body: bytes, remote_addr: str, fields: dict,
            payment: Payment | None = None) -> CallbackResult:
    amount = fields.get("amount")
    CallbackLog.objects.create(
        # Kept as received, but for NUL, which no PostgreSQL text column holds.
        outcome=outcome, reason=reason,
        body=body.decode("utf-8", "replace").replace("\x00", "\ufffd")[:10000],
        remote_addr=remote_addr, payment=payment,
        source=str(fields.get("source", ""))[:20], reference=str(fields.get("reference", ""))[:40],
        transaction_id=str(fields.get("transaction_id", ""))[:64],
        amount=amount if isinstance(amount, int) and abs(amount) < 2**62 else None,
        status=str(fields.get("status", ""))[:20])
    if outcome == Outcome.REJECTED:
        log.warning("payment callback rejected (%s) from %s: %s", reason, remote_addr,
                    body[:500])
    return CallbackResult(outcome, reason, payment)


def _parse(body: bytes) -> dict | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or has_nul(data):
        return None
    ok = (isinstance(data.get("reference"), str) and isinstance(data.get("merchant"), str)
          and type(data.get("amount")) is int and data.get("status") in ("paid", "failed")
          and isinstance(data.get("transaction_id"), str) and data["transaction_id"].strip()
          and data.get("source", "gateway") in SOURCES)
    return data if ok else None


def callback_receive(*, body: bytes, signature: str, remote_addr: str = "") -> CallbackResult:
    """Authenticate and apply one callback; see the module's docstring for the checks."""
    if not signature_valid(settings.MOTCUA_PAYGATE_SECRET, body, signature):
        return _record(Outcome.REJECTED, "bad_signature", body=body, remote_addr=remote_addr,
                       fields={})
    data = _parse(body)
    if data is None:
        return _record(Outcome.REJECTED, "malformed", body=body, remote_addr=remote_addr,
                       fields={})
    data.setdefault("source", "gateway")
    note = {"body": body, "remote_addr": remote_addr, "fields": data}
    if data["merchant"] != settings.MOTCUA_PAYGATE_MERCHANT:
        return _record(Outcome.REJECTED, "wrong_merchant", **note)
    payment = Payment.objects.filter(reference=data["reference"]).first()
    if payment is None:
        return _record(Outcome.REJECTED, "unknown_reference", **note)
    source, method = SOURCES[data["source"]]
    with transaction.atomic():
        # The payment's row lock queues concurrent deliveries of the same news.
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        note["payment"] = payment
        if CallbackLog.objects.filter(source=data["source"], transaction_id=data["transaction_id"],
                                      outcome=Outcome.APPLIED).exists():
            return _record(Outcome.DUPLICATE, "replay", **note)
        if data["amount"] != payment.amount:
            return _record(Outcome.REJECTED, "amount_mismatch", **note)
        paid_at = parse_datetime(str(data.get("paid_at", ""))) or timezone.now()
        if timezone.is_naive(paid_at):
            paid_at = timezone.make_aware(paid_at)
        if data["status"] == "paid":
            if payment.state == PaymentState.PAID:
                # The same payment confirmed twice (another channel, a second transfer): it
                # counts once; the log keeps it for the officer who arranges a refund.
                return _record(Outcome.DUPLICATE, "already_paid", **note)
            if payment.state == PaymentState.REFUNDED:
                return _record(Outcome.REJECTED, "invalid_state", **note)
            payment_confirm(payment=payment, source=source, method=method,
                            transaction_id=data["transaction_id"], at=paid_at)
        elif payment.state == PaymentState.PENDING:
            payment_transition(payment=payment, action="fail", source=source, at=paid_at,
                               data={"transaction_id": data["transaction_id"]})
        else:
            # A failure report for a payment not in progress (paid meanwhile by transfer).
            return _record(Outcome.DUPLICATE, "ignored", **note)
        payment.refresh_from_db()
        return _record(Outcome.APPLIED, "", **note)
