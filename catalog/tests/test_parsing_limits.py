"""Time limits read from the rest of a record when its time cells give none
(catalog/parsing/limits.py); fragments are from the national file, codes named."""

from decimal import Decimal

from catalog.models import TimeLimit, TimeUnit
from catalog.parsing.limits import complete_time_limits
from catalog.parsing.record import parse_record

H = "Hình thức nộpThời gianPhí, lệ phíMô tả"
Inferred = TimeLimit.Inferred


def _record(channels: str, steps: str = "", code: str = "9.000001") -> dict:
    return {"ma_thu_tuc": code, "ten_thu_tuc": "Thủ tục thử", "cap_thuc_hien": "Cấp xã",
            "cach_thuc_thuc_hien": f"{H}{channels}", "trinh_tu_thuc_hien": steps}


def _limits(record: dict) -> list[tuple]:
    parsed = parse_record(record)
    complete_time_limits(parsed, record)
    return [(t.channel, t.amount, t.unit, t.inferred)
            for v in parsed.variants for t in v.time_limits]


def test_a_bare_number_takes_the_unit_written_next_to_it_in_the_steps():
    # 1.001612 Đăng ký thành lập hộ kinh doanh: "3" in the cell, "03 ngày làm việc" in the steps
    record = _record("Trực tiếp3Lệ phí : 100.000 Đồng",
                     "Trong thời hạn 03 ngày làm việc kể từ ngày nhận được hồ sơ hợp lệ, cơ "
                     "quan đăng ký kinh doanh cấp xã cấp Giấy chứng nhận.")
    assert _limits(record) == [(1, Decimal(3), TimeUnit.WORKING_DAYS, Inferred.UNIT_FROM_TEXT)]


def test_a_bare_number_with_no_unit_anywhere_is_working_days_marked_as_a_default():
    # 1.001193 Đăng ký khai sinh: every cell is "1"
    record = _record("Trực tuyến1Miễn phíTrực tiếp1Miễn phí", "Bước 1: Nộp hồ sơ.")
    parsed = parse_record(record)
    added = complete_time_limits(parsed, record)
    assert added == [Inferred.UNIT_DEFAULT, Inferred.UNIT_DEFAULT]
    assert {(t.amount, t.unit) for v in parsed.variants for t in v.time_limits} == {
        (Decimal(1), TimeUnit.WORKING_DAYS)}
    problems = [i.problem for i in parsed.issues]
    assert any("là suy ra" in p for p in problems)
    assert not any("không ghi đơn vị" in p or "Không có thời hạn" in p for p in problems)
    assert parsed.has_time_limit


def test_an_empty_cell_takes_the_processing_time_the_steps_state():
    record = _record("Trực tiếpKhông có thông tinMiễn phí",
                     "Bước 2: Thời hạn giải quyết: 15 ngày làm việc kể từ ngày nhận đủ hồ sơ.")
    assert _limits(record) == [(1, Decimal(15), TimeUnit.WORKING_DAYS, Inferred.STEPS)]


def test_the_time_to_ask_for_missing_papers_is_not_the_processing_time():
    record = _record("Trực tiếpKhông có thông tinMiễn phí",
                     "Trong thời hạn 02 ngày làm việc kể từ ngày nhận hồ sơ, nếu hồ sơ chưa đầy "
                     "đủ thì hướng dẫn bổ sung. Trong thời hạn 20 ngày kể từ ngày nhận đủ hồ sơ "
                     "hợp lệ, cơ quan có thẩm quyền ra quyết định.")
    assert _limits(record) == [(1, Decimal(20), TimeUnit.CALENDAR_DAYS, Inferred.STEPS)]


def test_nothing_is_made_up_where_the_record_states_no_time():
    record = _record("Trực tiếpKhông có thông tinMiễn phí", "Nộp hồ sơ tại Công an tỉnh.")
    parsed = parse_record(record)
    assert complete_time_limits(parsed, record) == []
    assert not parsed.has_time_limit
    assert any("Không có thời hạn" in i.problem for i in parsed.issues)


def test_two_different_times_in_the_steps_are_not_chosen_between():
    record = _record("Trực tiếpKhông có thông tinMiễn phí",
                     "Thời hạn giải quyết: 10 ngày làm việc. Trường hợp phức tạp thời hạn giải "
                     "quyết là 30 ngày.")
    assert _limits(record) == []


def test_a_channel_without_a_limit_falls_back_instead_of_reading_a_bare_number():
    # a published counter limit beside a bare online "1": the online dossier uses the counter's
    record = _record("Trực tiếp15 Ngày làm việcMiễn phíTrực tuyến1Miễn phí")
    assert _limits(record) == [(1, Decimal(15), TimeUnit.WORKING_DAYS, "")]
