"""Đã nhận tiền: an officer confirms a transfer or cash; the system actor's limits."""

import pytest

from dossiers.models import State
from dossiers.services import dossier_act
from motcua.errors import NotAllowed
from payments.models import PaymentState, Source
from payments.services import PAYMENT_SYSTEM_ACTOR, payment_confirm, payment_refund
from payments.tests.conftest import at


def test_desk_officer_confirms_a_transfer_from_the_dossier_page(org, awaiting, client_for):
    dossier, payment = awaiting()
    page = client_for(org.desk).get(f"/ho-so/{dossier.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert payment.reference in html and "Đã nhận tiền" in html and "205.000" in html
    response = client_for(org.desk).post(f"/thanh-toan/ho-so/xac-nhan/{payment.reference}/",
                                         {"method": "transfer"})
    assert response.status_code == 302
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert (payment.state, payment.confirmed_by, payment.method) == ("paid", "officer",
                                                                     "transfer")
    assert dossier.state == State.PROCESSING
    event = dossier.events.order_by("-seq").first()
    assert event.action == "mark_paid" and event.actor == org.desk
    assert event.data["confirmed_by"] == "officer" and event.data["online"] is True
    assert payment.events.last().actor == org.desk


def test_cash_at_the_counter_is_not_an_online_payment(org, awaiting):
    dossier, payment = awaiting()
    payment_confirm(payment=payment, source=Source.OFFICER, method="cash", actor=org.desk)
    event = dossier.events.order_by("-seq").first()
    assert event.data["online"] is False and event.data["method"] == "cash"
    from sync.portal_format import dossier_record

    dossier.refresh_from_db()
    assert dossier_record(dossier, version=1)["DuocThanhToanTrucTuyen"] == "0"


def test_officer_of_another_unit_cannot_confirm(org, awaiting, client_for):
    dossier, payment = awaiting()
    with pytest.raises(NotAllowed):
        payment_confirm(payment=payment, source=Source.OFFICER, method="transfer",
                        actor=org.other_desk)
    # Through the page the dossier is simply not there for them.
    response = client_for(org.other_desk).post(
        f"/thanh-toan/ho-so/xac-nhan/{payment.reference}/", {"method": "transfer"})
    assert response.status_code == 404
    payment.refresh_from_db()
    assert payment.state == PaymentState.CREATED


def test_confirming_twice_is_refused_and_counts_once(org, awaiting):
    dossier, payment = awaiting()
    payment_confirm(payment=payment, source=Source.OFFICER, method="cash", actor=org.desk)
    with pytest.raises(NotAllowed):
        payment_confirm(payment=payment, source=Source.OFFICER, method="cash", actor=org.desk)
    assert dossier.events.filter(action="mark_paid").count() == 1


def test_refund_needs_a_reason_and_a_paid_payment(org, awaiting):
    _, payment = awaiting()
    with pytest.raises(NotAllowed):
        payment_refund(payment=payment, actor=org.desk, reason="Nộp trùng")
    payment_confirm(payment=payment, source=Source.OFFICER, method="cash", actor=org.desk)
    with pytest.raises(NotAllowed):
        payment_refund(payment=payment, actor=org.desk, reason=" ")
    payment = payment_refund(payment=payment, actor=org.desk, reason="Nộp trùng")
    assert payment.state == PaymentState.REFUNDED


def test_the_payment_system_may_only_mark_paid(org, make_dossier):
    dossier = make_dossier()
    with pytest.raises(NotAllowed) as exc:
        dossier_act(dossier=dossier, actor=PAYMENT_SYSTEM_ACTOR, action="forward",
                    at=at("2026-03-02 09:30"))
    assert exc.value.code == "permission_denied"


def test_money_for_a_withdrawn_dossier_is_recorded_without_moving_it(org, awaiting):
    dossier, payment = awaiting()
    dossier_act(dossier=dossier, actor=org.desk, action="withdraw", reason="Công dân xin rút",
                at=at("2026-03-03 09:00"))
    payment.refresh_from_db()
    payment = payment_confirm(payment=payment, source=Source.BANK, method="transfer",
                              transaction_id="FT1")
    dossier.refresh_from_db()
    assert payment.state == PaymentState.PAID and dossier.state == State.WITHDRAWN


def test_the_dossiers_own_mark_paid_action_settles_the_open_demand(org, awaiting):
    dossier, payment = awaiting()
    dossier_act(dossier=dossier, actor=org.specialist, action="mark_paid",
                at=at("2026-03-03 09:00"))
    payment.refresh_from_db()
    assert (payment.state, payment.confirmed_by) == ("paid", "officer")
    assert payment.events.last().actor == org.specialist


def test_an_officer_cannot_claim_a_gateway_confirmation_through_the_dossier_api(org, awaiting):
    dossier, _ = awaiting()
    dossier_act(dossier=dossier, actor=org.specialist, action="mark_paid",
                at=at("2026-03-03 09:00"), data={"confirmed_by": "gateway", "online": True})
    event = dossier.events.order_by("-seq").first()
    assert "confirmed_by" not in event.data and "online" not in event.data
