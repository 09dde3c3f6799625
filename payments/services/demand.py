"""The demand for payment: made when a dossier enters status 6, closed when the dossier closes."""

import secrets

from django.utils import timezone

from accounts.models import Unit
from catalog.models import Channel, Fee
from catalog.selectors import variant_fees
from dossiers.models import Dossier, DossierEvent
from payments.models import BankAccount, Payment, PaymentLine, PaymentState, Source
from payments.services.ledger import payment_event_write, payment_transition
from payments.services.link import PAYMENT_LINK_LIFETIME
from payments.states import PAYABLE_STATES

# No 0/O, 1/I/L: the reference is typed into a banking app when the QR cannot be scanned.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
OVERRIDE_LINE = "Phí, lệ phí theo thông báo của cơ quan giải quyết"


def reference_new() -> str:
    """'HS' + 10 characters of 31 (about 8·10^14 values): short enough for the purpose field."""
    while True:
        ref = "HS" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))
        if not Payment.objects.filter(reference=ref).exists():
            return ref


def bank_account_for(dossier: Dossier) -> BankAccount | None:
    """The competent agency's account, else its parents', else the receiving unit's line."""
    for start in (dossier.competent_unit, dossier.receiving_unit):
        unit: Unit | None = start
        while unit is not None:
            account = BankAccount.objects.filter(unit=unit).first()
            if account is not None:
                return account
            unit = unit.parent
    return None


def _match(fee: Fee, others: list[Fee], index: int) -> Fee | None:
    same = [o for o in others if o.name == fee.name]
    if same:
        return same[0]
    return others[index] if index < len(others) else None


def fee_lines(dossier: Dossier, *, amount: int | None = None,
              exemption: str = "") -> list[PaymentLine]:
    """The lines the applicant owes, unsaved: the fees of the dossier's channel (the counter fees
    when the channel lists none), each with its published online and counter amounts.

    An `amount` named by the officer (fees that depend on the case, e.g. per copy) replaces the
    catalogue lines by one line; an exempt applicant owes 0 on every line, which says why.
    """
    variant = dossier.variant
    if amount is not None:
        lines = [PaymentLine(name=OVERRIDE_LINE, amount=amount)]
    else:
        charged = variant_fees(variant, dossier.channel)
        online = variant_fees(variant, Channel.ONLINE)
        counter = variant_fees(variant, Channel.COUNTER)
        lines = []
        for i, fee in enumerate(charged):
            on, at_counter = _match(fee, online, i), _match(fee, counter, i)
            lines.append(PaymentLine(
                name=fee.name, fee=fee, amount=fee.amount or 0,
                online_amount=on.amount if on else None,
                counter_amount=at_counter.amount if at_counter else None))
    for i, line in enumerate(lines):
        line.order = i + 1
        if exemption:
            line.exempt_reason, line.amount = exemption, 0
    return lines


def payment_demand_create(*, dossier: Dossier, event: DossierEvent) -> Payment:
    """Create the payment demanded by a request_payment event (inside that event's transaction)."""
    amount = event.data.get("amount")
    exemption = str(event.data.get("exemption") or "")
    lines = fee_lines(dossier, amount=amount, exemption=exemption)
    account = bank_account_for(dossier)
    payment = Payment.objects.create(
        dossier=dossier, reference=reference_new(), public_token=secrets.token_urlsafe(32),
        # From now, not from the event's moment: the link is sent now (payments/services/link.py).
        link_expires_at=timezone.now() + PAYMENT_LINK_LIFETIME,
        amount=sum(line.amount for line in lines), exemption=exemption, created_at=event.at,
        bank_bin=account.bank_bin if account else "",
        bank_name=account.bank_name if account else "",
        account_number=account.account_number if account else "",
        account_name=account.account_name if account else "")
    for line in lines:
        line.payment = payment
    PaymentLine.objects.bulk_create(lines)
    payment_event_write(payment=payment, action="create", from_state="",
                        to_state=PaymentState.CREATED, at=event.at, source=Source.SYSTEM,
                        actor=event.actor, data={"dossier_event": event.seq})
    return payment


def payments_expire_open(*, dossier: Dossier, event: DossierEvent) -> int:
    """A dossier withdrawn or stopped while awaiting payment no longer asks for money."""
    count = 0
    for payment in Payment.objects.filter(dossier=dossier, state__in=PAYABLE_STATES):
        payment_transition(payment=payment, action="expire", source=Source.SYSTEM,
                           at=event.at or timezone.now(),
                           data={"dossier_event": event.seq, "dossier_action": event.action})
        count += 1
    return count


def payments_settle_by_dossier_action(*, dossier: Dossier, event: DossierEvent) -> int:
    """Settle the open demand when the dossier was marked paid by its own action."""
    count = 0
    for payment in Payment.objects.filter(dossier=dossier, state__in=PAYABLE_STATES):
        payment_transition(payment=payment, action="confirm", source=Source.OFFICER,
                           actor=event.actor, at=event.at,
                           data={"dossier_event": event.seq, "note": event.reason},
                           changes={"confirmed_by": Source.OFFICER, "paid_at": event.at})
        count += 1
    return count
