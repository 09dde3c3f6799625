"""The daily reconciliation: what our books say was paid against what the bank and the gateway
reported, with every difference listed for an officer to settle."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from payments.models import CallbackLog, Method, Payment, PaymentEvent

# Callbacks that say money moved (a valid signature, our merchant), whatever we did with them.
MONEY_REASONS = {"", "already_paid", "amount_mismatch", "unknown_reference", "invalid_state"}
MISMATCH_TEXT = {
    "amount_mismatch": "Số tiền về khác số tiền phải nộp",
    "unknown_reference": "Tiền về với mã thanh toán không có trong hệ thống",
    "already_paid": "Nộp trùng: khoản đã được thanh toán trước đó (cần hoàn tiền)",
    "invalid_state": "Tiền về cho khoản đã hoàn tiền",
    "not_received": "Cán bộ đã xác nhận chuyển khoản nhưng chưa có thông báo tiền về",
}


@dataclass
class Mismatch:
    kind: str
    reference: str
    amount: int | None
    at: datetime
    detail: str = ""

    @property
    def text(self) -> str:
        return MISMATCH_TEXT.get(self.kind, self.kind)


@dataclass
class Reconciliation:
    day: date
    confirmed: list[PaymentEvent] = field(default_factory=list)
    expected_electronic: int = 0
    expected_cash: int = 0
    received_electronic: int = 0
    received_count: int = 0
    rejected_unauthenticated: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def difference(self) -> int:
        return self.received_electronic - self.expected_electronic


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def reconciliation_day(*, day: date, payments: QuerySet[Payment]) -> Reconciliation:
    """The day `day` (Vietnam time) for the payments in `payments` (the caller's scope).

    Callbacks whose reference matches no payment belong to no unit's scope; they are listed for
    everyone, because someone must find out whose money it is.
    """
    start, end = _bounds(day)
    report = Reconciliation(day=day)
    report.confirmed = list(
        PaymentEvent.objects.filter(action="confirm", at__gte=start, at__lt=end,
                                    payment__in=payments)
        .select_related("payment", "payment__dossier").order_by("at", "id"))
    for event in report.confirmed:
        method = event.payment.method
        if method == Method.CASH:
            report.expected_cash += event.amount or 0
        elif method in (Method.GATEWAY, Method.TRANSFER):
            report.expected_electronic += event.amount or 0

    logs = CallbackLog.objects.filter(received_at__gte=start, received_at__lt=end)
    scoped = logs.filter(payment__in=payments) | logs.filter(payment__isnull=True)
    seen: set[tuple[str, str]] = set()
    for log in scoped.order_by("received_at", "id"):
        if log.reason == "bad_signature":
            report.rejected_unauthenticated += 1
            continue
        if log.status != "paid" or log.reason not in MONEY_REASONS:
            continue
        key = (log.source, log.transaction_id)
        if key in seen:  # a replay of a transaction already counted
            continue
        seen.add(key)
        report.received_electronic += log.amount or 0
        report.received_count += 1
        if log.reason:
            report.mismatches.append(Mismatch(log.reason, log.reference, log.amount,
                                              log.received_at, log.transaction_id))

    # Transfers an officer confirmed by sight: the statement should show them too.
    reported = set(CallbackLog.objects.filter(status="paid").exclude(reason="bad_signature")
                   .values_list("reference", flat=True))
    for event in report.confirmed:
        if event.payment.method == Method.TRANSFER and event.source == "officer" and \
                event.payment.reference not in reported:
            report.mismatches.append(Mismatch("not_received", event.payment.reference,
                                              event.amount, event.at,
                                              event.payment.dossier.code))
    return report
