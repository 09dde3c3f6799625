"""Reading payments: for the applicant's page, the staff panel and the public lookup."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects

from dossiers.models import Dossier
from payments.models import Payment, PaymentLine, PaymentState
from payments.states import PAYABLE_STATES
from payments.vietqr import vietqr_payload


def dossier_charged_lines(*, dossier: Dossier) -> list[PaymentLine]:
    """The fee lines the dossier was charged: those of its demands, but for a demand that
    expired (the dossier closed unpaid) or was refunded, which charged nothing."""
    return list(PaymentLine.objects.filter(payment__dossier=dossier)
                .exclude(payment__state__in=[PaymentState.EXPIRED, PaymentState.REFUNDED])
                .order_by("payment_id", "order", "id"))


def dossier_charged_exists() -> Exists:
    """Whether the dossier of the outer row (OuterRef("pk")) has lines `dossier_charged_lines`
    would give: an annotation for the lock statement of an action (sync/outbox.py), so that the
    portal snapshot of a dossier never charged reads no lines."""
    return Exists(PaymentLine.objects.filter(payment__dossier=OuterRef("pk"))
                  .exclude(payment__state__in=[PaymentState.EXPIRED, PaymentState.REFUNDED]))


def payment_by_token(*, token: str) -> Payment | None:
    return (Payment.objects.select_related("dossier", "dossier__procedure")
            .prefetch_related("lines").filter(public_token=token).first())


def payments_of_dossier(*, dossier: Dossier) -> QuerySet[Payment]:
    return Payment.objects.filter(dossier=dossier).prefetch_related("lines", "events")


def payments_of_dossier_loaded(*, dossier: Dossier) -> list[Payment]:
    """The dossier's payments with their lines and ledger, read once per dossier instance: the
    view that renews their links (payments/consumers.py) and the panel that shows them
    (templatetags/payments_tags.py) share the read, prefetched onto `dossier`."""
    prefetch_related_objects([dossier], Prefetch(
        "payments", queryset=Payment.objects.prefetch_related("lines", "events")))
    return list(dossier.payments.all())


def payment_current(*, dossier_code: str) -> Payment | None:
    """The payment the public lookup links to: the latest one of the dossier."""
    return Payment.objects.filter(dossier__code=dossier_code).order_by("-created_at", "-id").first()


def payment_is_payable(payment: Payment) -> bool:
    return payment.state in PAYABLE_STATES and payment.amount > 0


def payment_qr_payload(payment: Payment) -> str:
    """The VietQR payload for a payable payment with an account on file, else ''."""
    if not payment_is_payable(payment) or not payment.bank_bin:
        return ""
    return vietqr_payload(bank_bin=payment.bank_bin, account_number=payment.account_number,
                          amount=payment.amount, purpose=payment.reference)
