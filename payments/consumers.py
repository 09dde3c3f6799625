"""What payments does when dossiers calls: the dossier-event consumer (settings.
MOTCUA_EVENT_CONSUMERS), inside the dossier's transaction, so a demand for payment exists exactly
when the dossier is in status 6; and the page-opened hook (settings.MOTCUA_DOSSIER_OPENED)."""

from dossiers.models import Dossier, DossierEvent
from dossiers.opened import BY_LOOKUP
from payments.models import PaymentState
from payments.selectors import payment_current, payments_of_dossier_loaded
from payments.services import payment_demand_create, payment_link_issue, payments_expire_open
from payments.services.demand import payments_settle_by_dossier_action

CLOSING_ACTIONS = frozenset({"withdraw", "stop"})


def payment_events_apply(*, event: DossierEvent, dossier: Dossier) -> None:
    if event.action == "request_payment":
        payment_demand_create(dossier=dossier, event=event)
    elif event.action == "mark_paid" and "payment_reference" not in event.data:
        # An officer used the dossier's own "Xác nhận đã nộp phí" action instead of the
        # payment panel: the open demand is settled too, so the ledger agrees with the dossier.
        payments_settle_by_dossier_action(dossier=dossier, event=event)
    elif event.action in CLOSING_ACTIONS and event.from_state == "awaiting_payment":
        payments_expire_open(dossier=dossier, event=event)


def payment_links_on_open(*, dossier: Dossier, by: str) -> None:
    """Renew the payment page's links the opened page shows, in the view, before it renders.

    The lookup's result (someone who gave the code and secret: the right to the payment page)
    links the dossier's current payment; the officer's panel links each payment, to show the
    applicant's page and its QR code at the desk. A link past half its life gets a new token
    (payments/services/link.py); an expired demand shows no link and keeps its token.
    """
    if by == BY_LOOKUP:
        current = payment_current(dossier_code=dossier.code)
        payments = [current] if current is not None else []
    else:
        payments = payments_of_dossier_loaded(dossier=dossier)
    for payment in payments:
        if payment.state != PaymentState.EXPIRED:
            payment_link_issue(payment)
