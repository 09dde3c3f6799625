"""VietQR payloads, each decoded by an independent implementation (vietnam-qr-pay, MIT)."""

import pytest
from vietnam_qr_pay import QRPay
from vietnam_qr_pay.crc16 import crc16ccitt

from motcua.errors import DomainError
from payments.vietqr import crc16_ccitt_false, vietqr_payload


def test_crc_matches_the_published_check_value_and_the_other_library():
    # The catalogue check value of CRC-16/CCITT-FALSE over "123456789".
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    for text in ("", "000201", "00020101021238570010A00000072701270006970436"):
        assert crc16_ccitt_false(text.encode()) == crc16ccitt(text)


@pytest.mark.parametrize("bank_bin, account, amount, purpose", [
    ("970436", "0071000123456", 205000, "HSABCDEFGH23"),
    ("970415", "113366668888", 1, "HS2345678ABC"),
    ("970422", "9704229999", 1200000000, "HSZZZZZZZZZZ thu phi"),
])
def test_payload_decodes_to_bank_account_amount_and_purpose(bank_bin, account, amount, purpose):
    payload = vietqr_payload(bank_bin=bank_bin, account_number=account, amount=amount,
                             purpose=purpose)
    qr = QRPay(payload)
    assert qr.is_valid
    assert qr.version == "01" and qr.init_method == "12"
    assert qr.provider.guid == "A000000727"
    assert qr.provider.service == "QRIBFTTA"
    assert qr.consumer.bank_bin == bank_bin
    assert qr.consumer.bank_number == account
    assert qr.currency == "704" and qr.nation == "VN"
    assert qr.amount == str(amount)
    assert qr.additional_data.purpose == purpose
    assert qr.crc == payload[-4:]
    # The independent encoder builds the same bytes from the same data.
    assert QRPay.init_viet_qr(bank_bin=bank_bin, bank_number=account, amount=str(amount),
                              purpose=purpose).build() == payload


def test_a_changed_payload_fails_the_decoders_crc_check():
    payload = vietqr_payload(bank_bin="970436", account_number="0071000123456", amount=205000,
                             purpose="HSABCDEFGH23")
    tampered = payload.replace("5406205000", "5406905000")
    assert tampered != payload
    assert not QRPay(tampered).is_valid


def test_static_payload_leaves_the_amount_to_the_payer():
    payload = vietqr_payload(bank_bin="970436", account_number="0071000123456", amount=None,
                             purpose="")
    qr = QRPay(payload)
    assert qr.is_valid and qr.init_method == "11" and qr.amount is None


@pytest.mark.parametrize("kwargs", [
    {"bank_bin": "97043", "account_number": "1", "amount": 1, "purpose": "x"},
    {"bank_bin": "970436", "account_number": "12-34", "amount": 1, "purpose": "x"},
    {"bank_bin": "970436", "account_number": "1234", "amount": 0, "purpose": "x"},
    {"bank_bin": "970436", "account_number": "1234", "amount": 1, "purpose": "Lệ phí"},
    {"bank_bin": "970436", "account_number": "1234", "amount": 1, "purpose": "X" * 26},
])
def test_bad_input_is_refused(kwargs):
    with pytest.raises(DomainError):
        vietqr_payload(**kwargs)
