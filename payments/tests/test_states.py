"""The payment's transition table: every legal change writes one ledger row, illegal ones none."""

import pytest

from motcua.errors import NotAllowed
from payments.models import PaymentState as P
from payments.models import Source
from payments.services import payment_transition
from payments.states import PAYMENT_TRANSITIONS

ALL = [s.value for s in P]


def _force(payment, state):
    type(payment).objects.filter(pk=payment.pk).update(state=state)
    payment.refresh_from_db()


@pytest.mark.parametrize("action", sorted(PAYMENT_TRANSITIONS))
def test_each_action_is_refused_from_every_state_outside_its_sources(awaiting, action):
    _, payment = awaiting()
    t = PAYMENT_TRANSITIONS[action]
    for state in ALL:
        _force(payment, state)
        before = payment.events.count()
        if state in t.sources:
            payment_transition(payment=payment, action=action, source=Source.SYSTEM)
            payment.refresh_from_db()
            assert payment.state == t.target
            assert payment.events.count() == before + 1
            last = payment.events.last()
            assert (last.action, last.from_state, last.to_state) == (action, state, t.target)
        else:
            with pytest.raises(NotAllowed) as exc:
                payment_transition(payment=payment, action=action, source=Source.SYSTEM)
            assert exc.value.code == "invalid_payment_transition"
            payment.refresh_from_db()
            assert payment.state == state and payment.events.count() == before


def test_the_table_is_the_documented_machine():
    assert {a: (sorted(t.sources), t.target) for a, t in PAYMENT_TRANSITIONS.items()} == {
        "start": (["created", "failed", "pending"], "pending"),
        "confirm": (["created", "expired", "failed", "pending"], "paid"),
        "fail": (["pending"], "failed"),
        "expire": (["created", "failed", "pending"], "expired"),
        "refund": (["paid"], "refunded"),
    }


def test_ledger_rows_cannot_be_rewritten(awaiting):
    _, payment = awaiting()
    event = payment.events.get()
    event.action = "forged"
    with pytest.raises(ValueError):
        event.save()
