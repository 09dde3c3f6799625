"""Numbers of the results a unit issues: `<n>/<kind suffix>-<unit abbreviation>`, yearly per unit.

Taken like the form numbers (dossiers/numbering.py): one atomic upsert in the approving
transaction, so numbers are unique, and a rolled-back approval gives its number back.
"""

from datetime import datetime

from accounts.models import Unit
from dossiers.numbering import unit_abbreviation, yearly_number_next
from results.models import ResultCounter


def result_number_next(*, unit: Unit, suffix: str, at: datetime,
                       symbol: str | None = None) -> str:
    """`symbol`: the issuing body's abbreviation configured in its signature block (Decree
    30/2020, Appendix I, Part I, Section II, item 3), else the unit's initials."""
    number = yearly_number_next(model=ResultCounter, series_column="suffix", unit=unit,
                                series=suffix, at=at)
    return f"{number}/{suffix}-{symbol or unit_abbreviation(unit)}"
