from datetime import date

import pytest

from metrics.periods import Period, months_back, period_parse


@pytest.mark.parametrize("period,start,end,label", [
    (Period("thang", 2026, 12), date(2026, 12, 1), date(2027, 1, 1), "Tháng 12/2026"),
    (Period("quy", 2026, 2), date(2026, 4, 1), date(2026, 7, 1), "Quý 2/2026"),
    (Period("6thang", 2026), date(2026, 1, 1), date(2026, 7, 1), "6 tháng đầu năm 2026"),
    (Period("9thang", 2026), date(2026, 1, 1), date(2026, 10, 1), "9 tháng đầu năm 2026"),
    (Period("nam", 2026), date(2026, 1, 1), date(2027, 1, 1), "Năm 2026"),
])
def test_period_bounds(period, start, end, label):
    assert (period.start, period.end, period.label) == (start, end, label)


def test_parse_falls_back_to_this_month():
    today = date(2026, 5, 20)
    assert period_parse({}, today) == Period("thang", 2026, 5)
    assert period_parse({"ky": "quy"}, today) == Period("quy", 2026, 2)
    assert period_parse({"ky": "quy", "so": "9"}, today) == Period("thang", 2026, 5)
    assert period_parse({"ky": "nam", "nam": "2025", "so": "4"}, today) == Period("nam", 2025, 1)
    assert period_parse({"ky": "x", "nam": "abc"}, today) == Period("thang", 2026, 5)


def test_months_back_crosses_the_year():
    months = months_back(date(2026, 2, 28), 3)
    assert [(p.year, p.number) for p in months] == [(2025, 12), (2026, 1), (2026, 2)]
