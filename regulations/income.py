"""The value of an hour of an applicant's time in the standard-cost method, from the per-capita
income of a year: dated data with its source, not a figure typed per provision.

Circular 02/2017/TT-VPCP (the compliance-cost form for reviewing administrative procedures,
taken over from Circular 07/2014/TT-BTP) values the applicant's time from the average income:
the income per person of a year divided by the working hours of a year. The national figure used
here is the per-capita GDP at current prices the General Statistics Office published with each
year's socio-economic report; a province may set its own (its GRDP per capita, or a figure its
decision fixes) with the setting `MOTCUA_REGULATIONS_PER_CAPITA_INCOME`. The working hours
(12 months × 22 days × 8 hours = 2,112) are the setting `MOTCUA_REGULATIONS_WORK_HOURS_PER_YEAR`:
the circular's exact divisor was not confirmed against its annex (docs/regulations.md).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

# Year → (đồng per person per year, source). Estimates the GSO announced at each year's end;
# replace a year with its official figure when it is published.
GSO_PER_CAPITA_GDP: dict[int, tuple[int, str]] = {
    2022: (95_600_000, "Tổng cục Thống kê, báo cáo tình hình kinh tế – xã hội quý IV và năm "
                       "2022: GDP bình quân đầu người theo giá hiện hành ước đạt 95,6 triệu "
                       "đồng"),
    2023: (101_900_000, "Tổng cục Thống kê, báo cáo tình hình kinh tế – xã hội quý IV và năm "
                        "2023: GDP bình quân đầu người theo giá hiện hành ước đạt 101,9 triệu "
                        "đồng"),
    2024: (114_000_000, "Tổng cục Thống kê, báo cáo tình hình kinh tế – xã hội quý IV và năm "
                        "2024: GDP bình quân đầu người theo giá hiện hành ước đạt 114 triệu "
                        "đồng"),
}
WORK_HOURS_PER_YEAR = 12 * 22 * 8  # months × working days a month × hours a day


@dataclass(frozen=True)
class HourlyValue:
    """The value of an hour and how it was reached."""

    year: int  # the year of the income figure
    per_capita: int  # đồng per person per year
    hours_per_year: int
    source: str

    @property
    def hourly(self) -> int:
        """Whole đồng, half up."""
        return int((Decimal(self.per_capita) / self.hours_per_year)
                   .quantize(Decimal(1), rounding=ROUND_HALF_UP))


def income_table() -> dict[int, tuple[int, str]]:
    """The national figures, with the province's own (the setting) taking precedence by year.
    The setting maps a year to {"value": đồng, "source": text}."""
    table = dict(GSO_PER_CAPITA_GDP)
    own = getattr(settings, "MOTCUA_REGULATIONS_PER_CAPITA_INCOME", None) or {}
    for year, figure in own.items():
        table[int(year)] = (int(figure["value"]), str(figure.get("source", "")))
    return table


def hours_per_year() -> int:
    return int(getattr(settings, "MOTCUA_REGULATIONS_WORK_HOURS_PER_YEAR", WORK_HOURS_PER_YEAR))


def hourly_value(year: int) -> HourlyValue | None:
    """The value of an hour for a review in `year`: from the latest income figure of that year
    or before (a review uses the figure already published); None when there is none."""
    table = income_table()
    known = [y for y in table if y <= year]
    if not known:
        return None
    chosen = max(known)
    value, source = table[chosen]
    return HourlyValue(year=chosen, per_capita=value, hours_per_year=hours_per_year(),
                       source=source)


def hourly_value_of(year: int | None) -> HourlyValue | None:
    """The figure of exactly `year` (how a stored proposal's hourly value was reached)."""
    if year is None:
        return None
    figure = income_table().get(year)
    if figure is None:
        return None
    return HourlyValue(year=year, per_capita=figure[0], hours_per_year=hours_per_year(),
                       source=figure[1])
