"""Fees on the shared test procedure, a bank account for the province, dossiers in status 6."""

import json

import pytest

from catalog.models import Fee
from dossiers.models import State
from dossiers.services import dossier_act
from dossiers.tests.conftest import APPLICANT, at, client_for, make_dossier, org  # noqa: F401
from payments.gateway import SIGNATURE_HEADER, sign
from payments.models import BankAccount, Payment

SECRET = "test-paygate-secret"
MERCHANT = "MOTCUA-TEST"
FEE_NAME = "Lệ phí cấp Phiếu lý lịch tư pháp"


@pytest.fixture(autouse=True)
def paygate_settings(settings):
    settings.MOTCUA_PAYGATE_SECRET = SECRET
    settings.MOTCUA_PAYGATE_MERCHANT = MERCHANT
    settings.MOTCUA_PAYGATE_TIMEOUT = 5
    return settings


@pytest.fixture
def fees(org):  # noqa: F811 - the shared fixture, imported above
    """200.000 đ at the counter, 100.000 đ online (a lower online fee, domain.md §11)."""
    Fee.objects.create(variant=org.variant, channel=1, name=FEE_NAME, amount=200000)
    Fee.objects.create(variant=org.variant, channel=1, name="Phí cấp bản sao", amount=5000)
    Fee.objects.create(variant=org.variant, channel=2, name=FEE_NAME, amount=100000)
    Fee.objects.create(variant=org.variant, channel=2, name="Phí cấp bản sao", amount=5000)
    return org


@pytest.fixture
def account(org):  # noqa: F811
    return BankAccount.objects.create(unit=org.province, bank_bin="970436",
                                      bank_name="Vietcombank", account_number="0071000123456",
                                      account_name="SO TU PHAP TINH THU NGHIEM")


@pytest.fixture
def awaiting(org, fees, account, make_dossier):  # noqa: F811
    """A dossier forwarded to the specialist, who requests payment: (dossier, payment)."""

    def make(*, channel: int = 1, data: dict | None = None):
        dossier = make_dossier(channel=channel)
        dossier = dossier_act(dossier=dossier, actor=org.desk, action="forward",
                              at=at("2026-03-02 09:30"), data={"assignee": org.specialist.pk})
        dossier = dossier_act(dossier=dossier, actor=org.specialist, action="request_payment",
                              at=at("2026-03-02 14:00"), data=data or {})
        assert dossier.state == State.AWAITING_PAYMENT
        return dossier, Payment.objects.get(dossier=dossier)

    return make


def callback_body(payment: Payment, **overrides) -> bytes:
    data = {"merchant": MERCHANT, "reference": payment.reference, "amount": payment.amount,
            "status": "paid", "transaction_id": "GW0001", "source": "gateway",
            "paid_at": "2026-03-03T10:00:00+07:00"} | overrides
    return json.dumps(data).encode()


def post_callback(client, body: bytes, *, secret: str = SECRET, signature: str | None = None):
    return client.post("/api/v1/payments/callback/", data=body, content_type="application/json",
                       headers={SIGNATURE_HEADER: signature if signature is not None
                                else sign(secret, body)})
