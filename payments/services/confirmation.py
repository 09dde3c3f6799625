"""Money received: the payment becomes paid and, in the same transaction, the dossier moves on;
and money given back."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from dossiers.models import Dossier, State
from dossiers.services import dossier_act
from dossiers.services.transitions import actor_may
from dossiers.states import PAYMENT_SYSTEM, SystemActor, transition
from motcua.errors import NotAllowed
from payments.gateway import PaymentGateway, gateway_default
from payments.models import Method, Payment, PaymentState, Source
from payments.services.ledger import payment_transition

log = logging.getLogger("motcua.payments")

# The gateway's and the bank's confirmations act through this actor (dossiers/states.py).
PAYMENT_SYSTEM_ACTOR = SystemActor(name=PAYMENT_SYSTEM,
                                   display_name=str(_("Hệ thống thanh toán")))


def _officer_may_confirm(payment: Payment, officer: User) -> None:
    if not actor_may(payment.dossier, officer, transition("mark_paid"))[0]:
        raise NotAllowed("permission_denied",
                         "Bạn không có vai trò phù hợp để xác nhận thu phí, lệ phí hồ sơ này.",
                         "Your role or unit does not allow confirming this payment.",
                         http_status=403)


def payment_confirm(*, payment: Payment, source: str, method: str, actor: User | None = None,
                    transaction_id: str = "", at: datetime | None = None,
                    note: str = "") -> Payment:
    """Record the money as received and move the dossier out of status 6 if it waits for it.

    `source` says who confirmed: the gateway's callback, the bank's statement, or an officer
    (`actor`, who must be allowed to mark the dossier paid). One transaction: the payment's
    ledger row and the dossier's mark_paid event commit together or not at all.
    """
    at = at or timezone.now()
    if source == Source.OFFICER:
        if actor is None:
            raise ValueError("an officer's confirmation names the officer")
        _officer_may_confirm(payment, actor)
    with transaction.atomic():
        # Lock order: the payment, then the dossier (dossier_act locks it again, harmlessly).
        paid = payment_transition(
            payment=payment, action="confirm", source=source, actor=actor, at=at,
            data={"method": method, "transaction_id": transaction_id, "note": note},
            changes={"method": method, "confirmed_by": source, "paid_at": at,
                     "transaction_id": transaction_id})
        dossier = Dossier.objects.select_for_update().get(pk=paid.dossier_id)
        if dossier.state == State.AWAITING_PAYMENT:
            dossier_act(
                dossier=dossier, actor=actor if source == Source.OFFICER else PAYMENT_SYSTEM_ACTOR,
                action="mark_paid", at=at, reason=note,
                data={"confirmed_by": source, "online": method != Method.CASH,
                      "payment_reference": paid.reference, "amount": paid.amount,
                      "method": method})
        else:
            # Money for a dossier no longer waiting (withdrawn, stopped): recorded for refund.
            log.warning("payment %s confirmed while dossier %s is %s", paid.reference,
                        dossier.code, dossier.state)
    return paid


def payment_refund(*, payment: Payment, actor: User, reason: str, at: datetime | None = None,
                   gateway: PaymentGateway | None = None) -> Payment:
    """An officer gives back a paid amount (paid twice, dossier closed), with the reason.

    Money paid through the online gateway goes back through it: the refund is sent to the
    gateway first, and the payment is marked refunded only once the gateway has accepted it (a
    refusal or no answer changes nothing). Money that came by transfer or in cash is handed back
    by the unit's accountant; this records that it was.
    """
    _officer_may_confirm(payment, actor)
    reason = reason.strip()
    if not reason:
        raise NotAllowed("reason_required", "Cần ghi rõ lý do hoàn tiền.",
                         "A reason is required for a refund.", http_status=400)
    payment = Payment.objects.get(pk=payment.pk)  # as it stands now, not as the caller read it
    if payment.state != PaymentState.PAID:
        raise NotAllowed("invalid_payment_transition",
                         f"Khoản thanh toán {payment.reference} đang ở trạng thái "
                         f"“{payment.get_state_display()}”, không thể hoàn tiền.",
                         "Only a paid payment can be refunded.")
    data = {"reason": reason}
    if payment.method == Method.GATEWAY and payment.gateway_order_id:
        # Outside any transaction: no row lock is held while the gateway answers.
        done = (gateway or gateway_default()).refund(
            order_id=payment.gateway_order_id, reference=payment.reference,
            amount=payment.amount, reason=reason)
        data["refund_id"] = done.refund_id
    return payment_transition(payment=payment, action="refund", source=Source.OFFICER,
                              actor=actor, at=at, data=data)
