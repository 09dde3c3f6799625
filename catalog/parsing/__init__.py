"""Pure parsers for the run-together text columns of the national procedure database.

Each parser returns dataclasses plus a list of `Issue`: a fragment it could not turn into
structured data, kept with the raw text so that nothing published is lost.
"""

from dataclasses import dataclass

# Longer fragments are cut in issues only: the whole record is kept in Procedure.source_record.
FRAGMENT_LIMIT = 1000

# What the portal prints in an empty cell.
NO_INFORMATION = "Không có thông tin"


@dataclass(frozen=True)
class Issue:
    """A fragment of a source field that could not be parsed, and why (in Vietnamese)."""

    field: str
    fragment: str
    problem: str

    def as_dict(self) -> dict[str, str]:
        fragment = self.fragment.strip()
        if len(fragment) > FRAGMENT_LIMIT:
            fragment = fragment[:FRAGMENT_LIMIT] + "…"
        return {"field": self.field, "fragment": fragment, "problem": self.problem}


def clean(text: str | None) -> str:
    """Strip a cell and turn the portal's "no information" placeholder into an empty string."""
    text = (text or "").strip()
    return "" if text == NO_INFORMATION else text
