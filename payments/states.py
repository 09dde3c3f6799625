"""The payment's transition table: the one place that says how a payment's state may change.

created → pending (an order at the gateway) → paid / failed / expired; paid → refunded.
Money that arrives is money received: a transfer confirmed after a failed gateway attempt or after
the demand expired is still recorded as paid, so the books match the bank statement.
"""

from dataclasses import dataclass

from payments.models import PaymentState as P


@dataclass(frozen=True)
class PaymentTransition:
    action: str
    sources: frozenset[str]
    target: str


def _t(action: str, sources: set[str], target: str) -> PaymentTransition:
    return PaymentTransition(action, frozenset(sources), target)


PAYMENT_TRANSITIONS: dict[str, PaymentTransition] = {t.action: t for t in [
    _t("start", {P.CREATED, P.FAILED, P.PENDING}, P.PENDING),
    _t("confirm", {P.CREATED, P.PENDING, P.FAILED, P.EXPIRED}, P.PAID),
    _t("fail", {P.PENDING}, P.FAILED),
    _t("expire", {P.CREATED, P.PENDING, P.FAILED}, P.EXPIRED),
    _t("refund", {P.PAID}, P.REFUNDED),
]}

# States in which the applicant is still asked to pay (the QR and the gateway button are shown).
PAYABLE_STATES = frozenset({P.CREATED, P.PENDING, P.FAILED})
