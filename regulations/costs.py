"""Compliance cost by the standard-cost method; pure functions, no database.

Resolution 68/NQ-CP of 12/05/2020 sets the target of cutting at least 20 % of the compliance
costs of business regulations; the cost of one procedure is measured by the standard-cost
method of the compliance-cost forms for reviewing administrative procedures (Circular
02/2017/TT-VPCP, which took this over from Circular 07/2014/TT-BTP; the form's exact lines are
not confirmed here, docs/regulations.md): for each dossier, the hours the applicant spends
(preparing the papers, travelling, waiting) × the value of an hour of their work, plus the fees
and charges, plus what they pay outside (copies, certification, consultants, postage), all ×
the number of dossiers a year. docs/regulations.md names what was not confirmed against the
circular's annex.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class CostInputs:
    """What one dossier costs its applicant under one version of a provision."""

    hours: Decimal
    hourly_cost: int
    fees: int
    outside: int


def _dong(amount: Decimal) -> int:
    """Whole đồng, half up."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cost_per_dossier(inputs: CostInputs) -> int:
    """hours × hourly cost + fees + outside costs, in đồng."""
    return _dong(Decimal(inputs.hours) * inputs.hourly_cost + inputs.fees + inputs.outside)


def cost_per_year(inputs: CostInputs, yearly_dossiers: int) -> int:
    """The cost of a year: the cost of one dossier × the dossiers of a year."""
    return cost_per_dossier(inputs) * int(yearly_dossiers)


@dataclass(frozen=True)
class Saving:
    before: int
    after: int
    saved: int
    percent: float | None


def saving(before: CostInputs, after: CostInputs, yearly_dossiers: int) -> Saving:
    """The yearly cost before and after and what is saved (negative when the change costs
    more); the percent of the cost before, None when there was no cost."""
    b = cost_per_year(before, yearly_dossiers)
    a = cost_per_year(after, yearly_dossiers)
    return Saving(b, a, b - a, round(100 * (b - a) / b, 1) if b else None)


def share_percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent, one decimal; None when the whole is zero."""
    return round(100 * part / whole, 1) if whole else None
