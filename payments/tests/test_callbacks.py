"""The callback endpoint: HMAC, merchant, reference and amount checks, idempotency, effects."""

from functools import partial

import pytest

from dossiers.models import DossierEvent, State
from motcua.testing import at_once
from payments.models import CallbackLog, PaymentEvent, PaymentState
from payments.tests.conftest import callback_body, post_callback
from sync.portal_format import dossier_record


def _snapshot(dossier, payment):
    dossier.refresh_from_db()
    payment.refresh_from_db()
    return (dossier.state, payment.state, DossierEvent.objects.count(),
            PaymentEvent.objects.count())


def test_a_signed_paid_callback_confirms_and_moves_the_dossier_on(client, awaiting):
    dossier, payment = awaiting(channel=2)
    response = post_callback(client, callback_body(payment))
    assert response.status_code == 200, response.content
    assert response.json() == {"ok": True, "outcome": "applied", "state": "paid"}
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert (payment.method, payment.confirmed_by, payment.transaction_id) == (
        "gateway", "gateway", "GW0001")
    assert dossier.state == State.PROCESSING and dossier.paused_at is None
    event = dossier.events.order_by("-seq").first()
    assert event.action == "mark_paid" and event.actor is None
    assert event.actor_name == "Hệ thống thanh toán"
    assert event.actor_unit == dossier.competent_unit
    assert event.data["confirmed_by"] == "gateway" and event.data["online"] is True
    assert event.data["payment_reference"] == payment.reference
    assert "paused_from" in event.data  # the clock resumed
    assert dossier_record(dossier, version=1)["DuocThanhToanTrucTuyen"] == "1"
    assert list(payment.events.values_list("action", "source")) == [
        ("create", "system"), ("confirm", "gateway")]
    assert CallbackLog.objects.get().outcome == "applied"


def test_a_bank_statement_callback_is_recorded_as_a_transfer_confirmed_by_the_bank(
        client, awaiting):
    dossier, payment = awaiting()
    body = callback_body(payment, source="bank", transaction_id="FT26062123456")
    assert post_callback(client, body).status_code == 200
    payment.refresh_from_db()
    assert (payment.method, payment.confirmed_by) == ("transfer", "bank")
    assert dossier.events.order_by("-seq").first().data["confirmed_by"] == "bank"


@pytest.mark.parametrize("case, status, reason", [
    ("forged", 401, "bad_signature"),
    ("unsigned", 401, "bad_signature"),
    ("wrong_amount", 409, "amount_mismatch"),
    ("unknown", 404, "unknown_reference"),
    ("merchant", 400, "wrong_merchant"),
    ("malformed", 400, "malformed"),
    ("nul", 400, "malformed"),
    ("nul_unsigned", 401, "bad_signature"),
])
def test_bad_callbacks_are_rejected_logged_and_change_nothing(client, awaiting, case, status,
                                                              reason):
    dossier, payment = awaiting()
    before = _snapshot(dossier, payment)
    body = callback_body(payment)
    kwargs = {}
    if case == "forged":
        kwargs["secret"] = "not-the-secret"
    elif case == "unsigned":
        kwargs["signature"] = ""
    elif case == "wrong_amount":
        body = callback_body(payment, amount=payment.amount - 1000)
    elif case == "unknown":
        body = callback_body(payment, reference="HSNOTKNOWN23")
    elif case == "merchant":
        body = callback_body(payment, merchant="SOMEONE-ELSE")
    elif case == "malformed":
        body = callback_body(payment, amount="205000")
    elif case == "nul":  # signed, but with a NUL no text column can hold
        body = callback_body(payment, transaction_id="GW\u0000001")
    elif case == "nul_unsigned":  # a raw NUL byte from anyone: logged without it
        body, kwargs["signature"] = b'{"reference": "x\x00y"}', "00"
    response = post_callback(client, body, **kwargs)
    assert response.status_code == status
    assert response.json()["error"]["code"] == reason
    assert response.json()["error"]["message"]
    assert _snapshot(dossier, payment) == before
    logged = CallbackLog.objects.get()
    assert (logged.outcome, logged.reason) == ("rejected", reason)


def test_replayed_callback_changes_nothing_and_is_counted_once(client, awaiting):
    dossier, payment = awaiting()
    body = callback_body(payment)
    assert post_callback(client, body).json()["outcome"] == "applied"
    after_first = _snapshot(dossier, payment)
    replay = post_callback(client, body)
    assert replay.status_code == 200 and replay.json()["outcome"] == "duplicate"
    assert _snapshot(dossier, payment) == after_first
    assert dossier.events.filter(action="mark_paid").count() == 1
    assert list(CallbackLog.objects.order_by("id").values_list("outcome", "reason")) == [
        ("applied", ""), ("duplicate", "replay")]


def test_a_second_confirmation_of_a_paid_payment_counts_once(client, awaiting):
    dossier, payment = awaiting()
    post_callback(client, callback_body(payment))
    after_first = _snapshot(dossier, payment)
    # The applicant also transferred by VietQR: the bank reports another transaction.
    other = post_callback(client, callback_body(payment, source="bank", transaction_id="FT9"))
    assert other.status_code == 200 and other.json()["outcome"] == "duplicate"
    assert _snapshot(dossier, payment) == after_first
    assert CallbackLog.objects.filter(reason="already_paid").count() == 1


def test_a_failed_callback_marks_a_pending_payment_failed_and_the_dossier_waits(
        client, awaiting):
    from payments.models import Source
    from payments.services import payment_transition

    dossier, payment = awaiting()
    payment_transition(payment=payment, action="start", source=Source.APPLICANT)
    response = post_callback(client, callback_body(payment, status="failed"))
    assert response.json()["outcome"] == "applied"
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.state == PaymentState.FAILED
    assert dossier.state == State.AWAITING_PAYMENT
    # Paying afterwards (by transfer) still goes through.
    post_callback(client, callback_body(payment, source="bank", transaction_id="FT10"))
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_confirm_once(awaiting):
    from payments.gateway import sign
    from payments.services import callback_receive
    from payments.tests.conftest import SECRET

    dossier, payment = awaiting()
    same = callback_body(payment)
    bodies = [same] * 6 + [callback_body(payment, source="bank", transaction_id=f"FT{i}")
                           for i in range(2)]
    outcomes = []

    def deliver(body):
        outcomes.append(callback_receive(body=body, signature=sign(SECRET, body)).outcome)

    errors = at_once([partial(deliver, b) for b in bodies])
    assert errors == []
    assert sorted(outcomes) == ["applied"] + ["duplicate"] * 7
    assert dossier.events.filter(action="mark_paid").count() == 1
    assert payment.events.filter(action="confirm").count() == 1
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING


def test_a_form_posted_to_the_callback_is_a_415_not_a_server_error(db):
    """audit10: a multipart body is parsed, and its stream spent, by the NUL check before the
    view (motcua/nul.py); the callback then read `request.body` and answered 500 to anyone."""
    from django.test import Client

    answer = Client().post("/api/v1/payments/callback/", {"merchant": "x", "amount": "1"})
    assert answer.status_code == 415
    assert answer.json()["error"]["code"] == "unsupported_media_type"
