"""VietQR: the EMVCo merchant-presented QR payload NAPAS defines for bank transfers.

Every field is ID (2 digits) + length (2 digits) + value. The payload names the beneficiary by
NAPAS bank BIN and account number (tag 38, service QRIBFTTA = transfer to an account), the amount
in đồng (54) and the payment reference in the purpose field (62-08), so that the bank statement
line carries the reference back to us. Tag 63 is a CRC-16/CCITT-FALSE over everything before its
value, including "6304".
"""

import re

from motcua.errors import DomainError

VIETQR_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY = "VN"
# EMVCo caps the purpose sub-field at 25 characters; banks drop what is not plain ASCII.
PURPOSE_MAX = 25
_ASCII_PRINTABLE = re.compile(r"^[ -~]*$")


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no xor-out."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"EMVCo field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def vietqr_payload(*, bank_bin: str, account_number: str, amount: int | None,
                   purpose: str) -> str:
    """The string to encode in the QR code; `amount` None leaves it to the payer (static QR)."""
    if not re.fullmatch(r"\d{6}", bank_bin or ""):
        raise DomainError("invalid", "Mã BIN ngân hàng phải gồm 6 chữ số.",
                          "The bank BIN must be 6 digits.")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", account_number or ""):
        raise DomainError("invalid", "Số tài khoản không hợp lệ.", "Invalid account number.")
    if amount is not None and (not isinstance(amount, int) or amount <= 0):
        raise DomainError("invalid", "Số tiền phải là số nguyên dương (đồng).",
                          "The amount must be a positive integer (VND).")
    if len(purpose) > PURPOSE_MAX or not _ASCII_PRINTABLE.match(purpose):
        raise DomainError("invalid", "Nội dung chuyển khoản tối đa 25 ký tự không dấu.",
                          "The purpose must be at most 25 plain ASCII characters.")
    beneficiary = _field("00", bank_bin) + _field("01", account_number)
    merchant_account = (_field("00", VIETQR_GUID) + _field("01", beneficiary)
                        + _field("02", SERVICE_TO_ACCOUNT))
    payload = (
        _field("00", "01")
        # 12: a dynamic QR valid for this one payment; 11: a static one, reusable.
        + _field("01", "12" if amount is not None else "11")
        + _field("38", merchant_account)
        + _field("53", CURRENCY_VND)
        + (_field("54", str(amount)) if amount is not None else "")
        + _field("58", COUNTRY)
        + (_field("62", _field("08", purpose)) if purpose else "")
        + "6304"
    )
    return payload + f"{crc16_ccitt_false(payload.encode('ascii')):04X}"
