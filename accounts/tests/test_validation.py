from datetime import date

import pytest

from accounts.validation import personal_id_problem, tax_code_problem, validate_id_number

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("number", ["056090001234", "001185004321", "079203000001",
                                    "096300123456"])
def test_well_formed_personal_ids_pass(number):
    assert personal_id_problem(number, today=TODAY) is None


@pytest.mark.parametrize("number,message", [
    ("12345", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
    ("05609000123A", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
    ("0560900012345", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
    ("000090001234", "Mã tỉnh nơi đăng ký khai sinh 000 không tồn tại (001–096)."),
    ("097090001234", "Mã tỉnh nơi đăng ký khai sinh 097 không tồn tại (001–096)."),
    # Century digit 2 (2000s) with year 27 → born 2027: in the future.
    ("056227001234", "Năm sinh 2027 suy ra từ số định danh ở tương lai; kiểm tra chữ số thứ 4–6."),
    # Century digit 8 (1800s) with year 50 → born 1850: impossible for a living applicant.
    ("056850001234", "Năm sinh 1850 suy ra từ số định danh không hợp lý; kiểm tra chữ số thứ 4–6."),
])
def test_bad_personal_ids_get_a_vietnamese_reason(number, message):
    assert personal_id_problem(number, today=TODAY) == message


def test_tax_codes_are_checked_with_their_check_digit():
    assert tax_code_problem("0100109106") is None
    assert tax_code_problem("0100109106-001") is None
    assert tax_code_problem("0100109107") is not None
    assert tax_code_problem("12345") is not None


def test_validation_follows_the_applicant_kind():
    assert validate_id_number("0100109106", kind=2) is None
    assert validate_id_number("0100109106", kind=1) is not None
    assert validate_id_number("QĐ-123/UBND", kind=3) is None
