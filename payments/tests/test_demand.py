"""The demand for payment made with request_payment: fee lines, exemptions, the bank account."""

from django.db.models import Sum

from dossiers.services import dossier_act
from payments.models import Payment, PaymentState
from payments.tests.conftest import FEE_NAME, at


def test_counter_dossier_owes_the_counter_fees_and_shows_both_amounts(awaiting):
    dossier, payment = awaiting(channel=1)
    lines = list(payment.lines.all())
    assert [(line.name, line.counter_amount, line.online_amount, line.amount)
            for line in lines] == [(FEE_NAME, 200000, 100000, 200000),
                                   ("Phí cấp bản sao", 5000, 5000, 5000)]
    assert payment.amount == 205000 == payment.lines.aggregate(s=Sum("amount"))["s"]
    assert payment.state == PaymentState.CREATED
    assert payment.reference.startswith("HS") and len(payment.reference) == 12
    # The province's account is found by walking up from the competent department.
    assert (payment.bank_bin, payment.account_number) == ("970436", "0071000123456")
    event = payment.events.get()
    assert (event.action, event.to_state, event.source) == ("create", "created", "system")


def test_online_dossier_owes_the_lower_online_fee(awaiting):
    _, payment = awaiting(channel=2)
    assert payment.amount == 105000
    assert payment.lines.get(name=FEE_NAME).amount == 100000


def test_exempt_applicant_owes_nothing_and_each_line_says_why(awaiting):
    reason = "Người có công với cách mạng (miễn lệ phí theo quy định)"
    _, payment = awaiting(data={"exemption": reason})
    assert payment.amount == 0 and payment.exemption == reason
    assert all(line.amount == 0 and line.exempt_reason == reason for line in payment.lines.all())
    assert payment.lines.get(name=FEE_NAME).counter_amount == 200000


def test_amount_named_by_the_officer_replaces_the_catalogue_lines(awaiting):
    _, payment = awaiting(data={"amount": 350000})
    assert payment.amount == 350000
    assert [line.amount for line in payment.lines.all()] == [350000]


def test_withdrawal_while_awaiting_payment_expires_the_demand(org, awaiting):
    dossier, payment = awaiting()
    dossier_act(dossier=dossier, actor=org.desk, action="withdraw", reason="Công dân xin rút",
                at=at("2026-03-03 09:00"))
    payment.refresh_from_db()
    assert payment.state == PaymentState.EXPIRED
    assert list(payment.events.values_list("action", flat=True)) == ["create", "expire"]


def test_a_failed_dossier_action_leaves_no_demand(org, fees, account, make_dossier):
    dossier = make_dossier()
    # request_payment is not possible from "received": nothing is created.
    try:
        dossier_act(dossier=dossier, actor=org.specialist, action="request_payment",
                    at=at("2026-03-02 14:00"))
    except Exception:  # noqa: BLE001 - the refusal itself is tested in dossiers/
        pass
    assert not Payment.objects.exists()


def test_account_command_declares_a_units_account(org):
    import pytest
    from django.core.management import CommandError, call_command

    from payments.models import BankAccount

    call_command("payment_account_set", org.dept.code, "--bin", "970415", "--account",
                 "113366668888", "--name", "So Tu phap", "--bank", "VietinBank")
    account = BankAccount.objects.get(unit=org.dept)
    assert (account.bank_bin, account.account_name) == ("970415", "SO TU PHAP")
    with pytest.raises(CommandError):
        call_command("payment_account_set", org.dept.code, "--bin", "97", "--account", "1",
                     "--name", "X")


def test_the_national_portal_is_told_what_the_dossier_was_charged(org, awaiting, make_dossier):
    from sync.portal_format import dossier_record

    def fees_sent(dossier):
        return [(f["TenPhiLePhi"], f["Gia"]) for f in dossier_record(dossier, version=1)
                ["DanhSachLePhi"]]

    # No demand yet: the catalogue's fees of the channel.
    assert fees_sent(make_dossier(channel=2)) == [(FEE_NAME, "100000"), ("Phí cấp bản sao", "5000")]
    # An exempt applicant: the demand's lines, each 0.
    dossier, payment = awaiting(data={"exemption": "Người có công với cách mạng"})
    assert fees_sent(dossier) == [(FEE_NAME, "0"), ("Phí cấp bản sao", "0")]
    # A demand withdrawn with its dossier charged nothing: back to the catalogue.
    dossier = dossier_act(dossier=dossier, actor=org.desk, action="withdraw",
                          at=at("2026-03-03 09:00"), reason="Người nộp xin rút hồ sơ")
    payment.refresh_from_db()
    assert payment.state == "expired"
    assert fees_sent(dossier) == [(FEE_NAME, "200000"), ("Phí cấp bản sao", "5000")]
