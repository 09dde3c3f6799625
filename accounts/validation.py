"""Validation of identity numbers: the 12-digit personal ID and the enterprise (tax) code."""

import re
import unicodedata
from datetime import date

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

# Century of birth by the gender/century digit (Circular 59/2021/TT-BCA art. 7).
_CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800,
            9: 1800}
# Birth-registration province codes keep the legacy 63-province numbering (001–096).
_MAX_PROVINCE_CODE = 96


def personal_id_problem(number: str, *, today: date | None = None) -> str | None:
    """None when `number` is a well-formed 12-digit personal ID, else the reason in Vietnamese.

    There is no check digit: only the shape, the province code and the year can be checked.
    """
    # ASCII digits: str.isdigit() also takes "፩" or "²", which int() below refuses.
    if len(number) != 12 or not (number.isascii() and number.isdigit()):
        return "Số định danh cá nhân phải gồm đúng 12 chữ số."
    province = int(number[:3])
    if not 1 <= province <= _MAX_PROVINCE_CODE:
        return f"Mã tỉnh nơi đăng ký khai sinh {number[:3]} không tồn tại (001–096)."
    year = _CENTURY[int(number[3])] + int(number[4:6])
    today = today or date.today()
    if year > today.year:
        return f"Năm sinh {year} suy ra từ số định danh ở tương lai; kiểm tra chữ số thứ 4–6."
    if year < today.year - 130:
        return f"Năm sinh {year} suy ra từ số định danh không hợp lý; kiểm tra chữ số thứ 4–6."
    return None


def tax_code_problem(number: str) -> str | None:
    """None for a valid 10-digit tax code or 13-character branch code (NNNNNNNNNN-NNN)."""
    try:
        mst.validate(number)
    except StdnumError:
        return "Mã số doanh nghiệp (mã số thuế) không hợp lệ: sai độ dài hoặc sai chữ số kiểm tra."
    return None


def validate_id_number(number: str, *, kind: int) -> str | None:
    """Check an applicant's identity number by applicant kind (LoaiDoiTuong)."""
    if kind == 1:
        return personal_id_problem(number)
    if kind == 2:
        return tax_code_problem(number)
    if len(number) > 20:
        return "Số giấy tờ không được dài quá 20 ký tự."
    return None


# Vietnamese mobile numbers since the 2018 renumbering: 0 + 3/5/7/8/9 + 8 digits.
_MOBILE = re.compile(r"0[35789]\d{8}")


def phone_normalize(value: str) -> str | None:
    """The national form 0XXXXXXXXX of a mobile number written any usual way, else None.

    Accepts spaces, dots, dashes and the +84 / 84 prefixes, so that a person who signed up with
    "+84 912 345 678" can log in with "0912345678".
    """
    # NFKC first: full-width digits typed in an IME's full-width mode become ASCII digits.
    digits = re.sub(r"[\s.\-()]", "", unicodedata.normalize("NFKC", value or ""))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if digits.isascii() and _MOBILE.fullmatch(digits) else None


def personal_id_birth_year(number: str) -> int:
    """The year of birth a well-formed personal ID encodes (digits 4–6)."""
    return _CENTURY[int(number[3])] + int(number[4:6])
