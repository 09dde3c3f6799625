"""The applicant chooses the online gateway: an order is created there, the payment is pending."""

from django.db import transaction

from motcua.errors import DomainError
from payments.gateway import PaymentGateway
from payments.models import Payment, Source
from payments.services.ledger import payment_transition
from payments.states import PAYABLE_STATES


def payment_gateway_start(*, payment: Payment, gateway: PaymentGateway, return_url: str,
                          callback_url: str) -> str:
    """Create the gateway order and return the URL to send the applicant's browser to."""
    if payment.state not in PAYABLE_STATES or payment.amount <= 0:
        raise DomainError("not_payable", "Khoản này không còn chờ thanh toán.",
                          "This payment is not awaiting payment.", http_status=409)
    # The call to the gateway stays outside any transaction: no row lock is held while we wait.
    order = gateway.create_order(
        reference=payment.reference, amount=payment.amount,
        description=f"Phi, le phi ho so {payment.dossier.code}", return_url=return_url,
        callback_url=callback_url)
    with transaction.atomic():
        payment_transition(payment=payment, action="start", source=Source.APPLICANT,
                           data={"order_id": order.order_id},
                           changes={"gateway_order_id": order.order_id})
    return order.pay_url
