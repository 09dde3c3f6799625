"""Reporting periods of Decision 766: month, quarter, first 6 months, first 9 months, year.

A period is a half-open range of Vietnam calendar days [start, end); "6 tháng" and "9 tháng" run
from 1 January, as provinces report them ("6 tháng đầu năm", "9 tháng đầu năm").
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# The query-string keys stay Vietnamese (they are in bookmarked and shared links); the labels
# follow the visitor's language.
KINDS = {"thang": _("Tháng"), "quy": _("Quý"), "6thang": _("6 tháng"), "9thang": _("9 tháng"),
         "nam": _("Năm")}


def _month_start(year: int, month: int) -> date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int = 1  # month 1–12 or quarter 1–4; unused otherwise

    @property
    def start(self) -> date:
        if self.kind == "thang":
            return date(self.year, self.number, 1)
        if self.kind == "quy":
            return date(self.year, 3 * (self.number - 1) + 1, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        months = {"thang": 1, "quy": 3, "6thang": 6, "9thang": 9, "nam": 12}[self.kind]
        return _month_start(self.start.year, self.start.month + months)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, LOCAL_TZ)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time.min, LOCAL_TZ)

    @property
    def label(self) -> str:
        """"Tháng 3/2026", "Quý 1/2026", "6 tháng đầu năm 2026", "Năm 2026" in the active
        language (the exports render it in Vietnamese)."""
        n, y = self.number, self.year
        if self.kind == "thang":
            return gettext("Tháng %(n)s/%(y)s") % {"n": n, "y": y}
        if self.kind == "quy":
            return gettext("Quý %(n)s/%(y)s") % {"n": n, "y": y}
        if self.kind == "6thang":
            return gettext("6 tháng đầu năm %(y)s") % {"y": y}
        if self.kind == "9thang":
            return gettext("9 tháng đầu năm %(y)s") % {"y": y}
        return gettext("Năm %(y)s") % {"y": y}

    @property
    def query(self) -> str:
        return f"ky={self.kind}&nam={self.year}&so={self.number}"


def period_parse(params, today: date) -> Period:
    """The period asked for in a query string (ky, nam, so); this month when absent or wrong."""
    kind = params.get("ky") or "thang"
    try:
        year = int(params.get("nam") or today.year)
        number = int(params.get("so") or (today.month if kind == "thang"
                                          else (today.month - 1) // 3 + 1))
    except ValueError:
        return Period("thang", today.year, today.month)
    limits = {"thang": 12, "quy": 4}
    if kind not in KINDS or not 2000 <= year <= 2100 or not 1 <= number <= limits.get(kind, 1):
        if kind in KINDS and kind not in limits and 2000 <= year <= 2100:
            return Period(kind, year, 1)
        return Period("thang", today.year, today.month)
    return Period(kind, year, number)


def period_choices(today: date) -> list[Period]:
    """What the period picker offers: this year's months, quarters, 6 / 9 months and the year."""
    y = today.year
    return ([Period("thang", y, m) for m in range(1, 13)] + [Period("quy", y, q) for q in
                                                                range(1, 5)]
            + [Period("6thang", y), Period("9thang", y), Period("nam", y), Period("nam", y - 1)])


def months_back(end: date, count: int) -> list[Period]:
    """The `count` months ending with the month of `end`, oldest first (trend charts)."""
    out = []
    for i in range(count - 1, -1, -1):
        m = _month_start(end.year, end.month - i)
        out.append(Period("thang", m.year, m.month))
    return out
