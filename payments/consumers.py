"""The dossier-event consumer (settings.MOTCUA_EVENT_CONSUMERS): runs inside the dossier's
transaction, so a demand for payment exists exactly when the dossier is in status 6."""

from dossiers.models import Dossier, DossierEvent
from payments.services import payment_demand_create, payments_expire_open
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
