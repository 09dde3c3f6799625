"""Reading payments: for the applicant's page, the staff panel and the public lookup."""

from django.db.models import QuerySet

from dossiers.models import Dossier
from payments.models import Payment
from payments.states import PAYABLE_STATES
from payments.vietqr import vietqr_payload


def payment_by_token(*, token: str) -> Payment | None:
    return (Payment.objects.select_related("dossier", "dossier__procedure")
            .prefetch_related("lines").filter(public_token=token).first())


def payments_of_dossier(*, dossier: Dossier) -> QuerySet[Payment]:
    return Payment.objects.filter(dossier=dossier).prefetch_related("lines", "events")


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
