"""payment_transition: the only way a payment changes state, with its ledger row."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from motcua.errors import NotAllowed
from payments.models import Payment, PaymentEvent
from payments.states import PAYMENT_TRANSITIONS


def payment_event_write(*, payment: Payment, action: str, from_state: str, to_state: str,
                        at: datetime, source: str, actor: User | None = None,
                        data: dict[str, Any] | None = None) -> PaymentEvent:
    """Append one ledger row; the caller holds the payment's row lock in its transaction."""
    last = payment.events.aggregate(m=Max("seq"))["m"] or 0
    return PaymentEvent.objects.create(
        payment=payment, seq=last + 1, action=action, from_state=from_state, to_state=to_state,
        at=at, source=source, actor=actor, actor_name=actor.display_name if actor else "",
        amount=payment.amount, data=data or {})


def payment_transition(*, payment: Payment, action: str, source: str, actor: User | None = None,
                       at: datetime | None = None, data: dict[str, Any] | None = None,
                       changes: dict[str, Any] | None = None) -> Payment:
    """Move `payment` by `action` of the table in payments/states.py, with `changes` to its
    fields, and append the ledger row — in one transaction under the payment's row lock."""
    t = PAYMENT_TRANSITIONS.get(action)
    if t is None:
        raise ValueError(f"unknown payment action {action!r}")
    at = at or timezone.now()
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.state not in t.sources:
            raise NotAllowed("invalid_payment_transition",
                             f"Khoản thanh toán {locked.reference} đang ở trạng thái "
                             f"“{locked.get_state_display()}”, không thể thực hiện thao tác này.",
                             f"Payment action '{action}' is not allowed in state "
                             f"'{locked.state}'.")
        from_state = locked.state
        locked.state = t.target
        for field, value in (changes or {}).items():
            setattr(locked, field, value)
        locked.save()
        payment_event_write(payment=locked, action=action, from_state=from_state,
                            to_state=locked.state, at=at, source=source, actor=actor, data=data)
    return locked
