"""The staff API: a dossier's payments and the officer's confirmation, in the project's format."""

from rest_framework.test import APIClient

from dossiers.models import State


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_list_and_confirm_through_the_api(org, awaiting):
    dossier, payment = awaiting()
    listed = _api(org.desk).get(f"/api/v1/dossiers/{dossier.code}/payments/")
    assert listed.status_code == 200
    [row] = listed.json()
    assert (row["reference"], row["state"], row["amount"]) == (payment.reference, "created",
                                                               205000)
    assert [line["amount"] for line in row["lines"]] == [200000, 5000]
    done = _api(org.desk).post(f"/api/v1/payments/{payment.reference}/confirm/",
                               {"method": "cash"}, format="json")
    assert done.status_code == 200, done.json()
    assert (done.json()["state"], done.json()["method"]) == ("paid", "cash")
    assert [e["action"] for e in done.json()["events"]] == ["create", "confirm"]
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    again = _api(org.desk).post(f"/api/v1/payments/{payment.reference}/confirm/",
                                {"method": "cash"}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_payment_transition"


def test_applicant_and_other_units_cannot_confirm(org, awaiting):
    dossier, payment = awaiting()
    assert _api(org.other_desk).post(f"/api/v1/payments/{payment.reference}/confirm/",
                                     {}, format="json").status_code == 404
    assert _api(org.other_desk).get(
        f"/api/v1/dossiers/{dossier.code}/payments/").status_code == 404
    anonymous = APIClient().post(f"/api/v1/payments/{payment.reference}/confirm/", {},
                                 format="json")
    assert anonymous.status_code in (401, 403)
    payment.refresh_from_db()
    assert payment.state == "created"


def test_refund_through_the_api_and_the_page(org, awaiting, client_for):
    _, payment = awaiting()
    _api(org.desk).post(f"/api/v1/payments/{payment.reference}/confirm/", {}, format="json")
    no_reason = _api(org.desk).post(f"/api/v1/payments/{payment.reference}/refund/", {},
                                    format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    done = _api(org.desk).post(f"/api/v1/payments/{payment.reference}/refund/",
                               {"reason": "Nộp trùng"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "refunded"

    _, second = awaiting()
    _api(org.desk).post(f"/api/v1/payments/{second.reference}/confirm/", {}, format="json")
    page = client_for(org.desk).post(f"/thanh-toan/ho-so/hoan-tien/{second.reference}/",
                                     {"reason": "Hồ sơ được miễn sau khi xét lại"})
    assert page.status_code == 302
    second.refresh_from_db()
    assert second.state == "refunded"
    assert second.events.last().data == {"reason": "Hồ sơ được miễn sau khi xét lại"}
