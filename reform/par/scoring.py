"""PAR Index arithmetic: the points a declared value earns, totals, rank and group. Pure functions.

A leaf criterion is answered by its kind (reform/models/par.py `ParAnswerKind`):
- yes / no / not applicable: "yes" earns the maximum, "no" nothing; "na" takes the criterion out
  of the total (its maximum too), which is then rescaled to 100 (domain.md §12: where part of the
  tree is left out the score is rescaled);
- a number or a percentage: the points of the highest step of the criterion's scale it reaches;
- points: the points typed, between 0 and the maximum.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.errors import DomainError

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
YES_NO = ("yes", "no", "na")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def decimal_of(text: str, *, field: str = "value") -> Decimal:
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_value", _("Giá trị “%(v)s” không phải là số.") % {"v": text},
                          f"“{text}” is not a number.", fields={field: ["invalid"]}) from None
    if not value.is_finite():
        raise DomainError("invalid_value", _("Giá trị “%(v)s” không phải là số.") % {"v": text},
                          f"“{text}” is not a number.", fields={field: ["invalid"]})
    return value


# The columns that keep a declared and an appraised value (ParScore.value, final_value and the
# history's old_value / new_value).
VALUE_MAX_LENGTH = 40


def value_text(*, kind: str, value: str) -> str:
    """The value as stored: "yes", "no", "na" or the number's text, refused naming `value` when
    it would not fit its column (a 500 on PostgreSQL)."""
    value = (value or "").strip()
    if value != "na" and kind != "yes_no":
        value = str(decimal_of(value))
    if len(value) > VALUE_MAX_LENGTH:
        raise DomainError("invalid_value",
                          f"Giá trị có tối đa {VALUE_MAX_LENGTH} ký tự (đã nhập {len(value)}).",
                          f"At most {VALUE_MAX_LENGTH} characters ({len(value)} given).",
                          fields={"value": ["too_long"]})
    return value


def scale_points(value: Decimal, scale: list[dict]) -> Decimal:
    """The points of the highest step whose `from` the value reaches; 0 below every step."""
    best: tuple[Decimal, Decimal] | None = None
    for step in scale:
        start = Decimal(str(step["from"]))
        if value >= start and (best is None or start > best[0]):
            best = (start, Decimal(str(step["points"])))
    return q2(best[1]) if best else Decimal("0.00")


def points_for(*, kind: str, value: str, max_points: Decimal, scale: list[dict]
               ) -> Decimal | None:
    """The points `value` earns; None when not applicable. DomainError naming `value` if the
    value does not fit the kind."""
    value = (value or "").strip()
    if kind == "yes_no":
        if value not in YES_NO:
            raise DomainError("invalid_value", _("Chọn Có, Không hoặc Không áp dụng."),
                              "Choose yes, no or not applicable.", fields={"value": ["invalid"]})
        return None if value == "na" else (q2(max_points) if value == "yes" else Decimal("0.00"))
    if value == "na":
        return None
    number = decimal_of(value)
    if kind == "percent" and not 0 <= number <= 100:
        raise DomainError("invalid_value", _("Tỷ lệ phải từ 0 đến 100."),
                          "A percentage is between 0 and 100.", fields={"value": ["invalid"]})
    if kind == "points":
        if not 0 <= number <= max_points:
            raise DomainError(
                "invalid_value",
                _("Điểm phải từ 0 đến %(max)s.") % {"max": max_points},
                f"Points are between 0 and {max_points}.", fields={"value": ["invalid"]})
        return q2(number)
    if number < 0:
        raise DomainError("invalid_value", _("Giá trị không được âm."),
                          "The value may not be negative.", fields={"value": ["invalid"]})
    return min(scale_points(number, scale), q2(max_points))


@dataclass(frozen=True)
class Total:
    points: Decimal
    max_points: Decimal  # the applicable maximum
    percent: Decimal | None


def total(rows: list[tuple[Decimal, Decimal | None]]) -> Total:
    """rows: (max_points, points or None when not applicable). Percent = points / applicable
    maximum × 100 (rescaled to 100 when criteria are left out)."""
    points = sum((p for _m, p in rows if p is not None), Decimal(0))
    maximum = sum((m for m, p in rows if p is not None), Decimal(0))
    percent = q2(points * HUNDRED / maximum) if maximum else None
    return Total(q2(points), q2(maximum), percent)


def groups() -> list[tuple[str, Decimal]]:
    """The groups and their lower bounds, highest first (settings.MOTCUA_PAR_GROUPS)."""
    return sorted(((name, Decimal(str(low))) for name, low in settings.MOTCUA_PAR_GROUPS),
                  key=lambda g: -g[1])


def group_for(percent: Decimal | None) -> str:
    if percent is None:
        return ""
    for name, low in groups():
        if percent >= low:
            return name
    return groups()[-1][0]


def ranks(percents: list[Decimal | None]) -> list[int | None]:
    """Competition ranking (1, 2, 2, 4) by percent, highest first; None for no score."""
    out: list[int | None] = []
    for p in percents:
        out.append(None if p is None else 1 + sum(1 for o in percents
                                                   if o is not None and o > p))
    return out
