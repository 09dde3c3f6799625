"""The index report as one flat table: what the Excel and CSV exports and the JSON API give out.

The figures are aggregates per unit and period: no dossier code, no applicant, no officer's name
leaves through these (open data of non-personal figures).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from accounts.models import Unit
from metrics import indicators, selectors
from metrics.indicators import INDICATORS, REPORT_ORDER
from metrics.periods import Period


def _number(value: int | Decimal | None) -> int | float | None:
    if value is None or isinstance(value, int):
        return value
    return float(value)


def report_table(*, unit: Unit, period: Period, now: datetime) -> dict[str, Any]:
    """The unit, then each of its direct children: indicators, group points, total and band."""
    own, children = selectors.unit_with_children(unit, period, now)
    reports = [own, *children]
    method = selectors.method_for(period.last_day)
    units = []
    for r in reports:
        units.append({
            "code": r.unit.code, "name": r.unit.name, "kind": r.unit.kind,
            "indicators": {key: _number(r.values[key]) for key in REPORT_ORDER},
            "groups": [{"key": g.key, "name": g.name, "max_points": _number(g.max_points),
                        "points": _number(g.points)} for g in r.score.groups],
            "points": _number(r.score.points), "max_points": _number(r.score.max_points),
            "scaled": _number(r.score.scaled), "band": r.score.band,
        })
    return {
        "period": {"kind": period.kind, "year": period.year, "number": period.number,
                   "label": period.label, "start": period.start.isoformat(),
                   "end_exclusive": period.end.isoformat()},
        "computed_at": now.isoformat(),
        "method": {"name": indicators.label(method.name),
                   "effective_from": method.effective_from.isoformat(),
                   "is_default_set": method.is_default_set},
        "definitions": {key: {"name": str(i.name), "formula": str(i.formula),
                              "source": str(i.source), "unit": i.unit,
                              "available": i.available}
                        for key, i in INDICATORS.items()},
        "units": units,
    }
