"""Everything that writes a payment. Views, the API, commands and the event consumer call these."""

from payments.services.callbacks import CallbackResult, callback_receive
from payments.services.confirmation import PAYMENT_SYSTEM_ACTOR, payment_confirm, payment_refund
from payments.services.demand import payment_demand_create, payments_expire_open
from payments.services.gateway_start import payment_gateway_start
from payments.services.ledger import payment_transition
from payments.services.link import (
    PAYMENT_LINK_LIFETIME,
    payment_link_expired,
    payment_link_issue,
)

__all__ = [
    "PAYMENT_LINK_LIFETIME", "PAYMENT_SYSTEM_ACTOR", "CallbackResult", "callback_receive",
    "payment_confirm", "payment_demand_create", "payment_gateway_start", "payment_link_expired",
    "payment_link_issue", "payment_refund", "payment_transition", "payments_expire_open",
]
