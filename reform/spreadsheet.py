"""What the Excel readers of reform/ share (the plan's annex, the PAR criteria set)."""

import re


def cell_text(value: object) -> str:
    """A cell as one line of text: whitespace collapsed, a whole float without its ".0" (Excel
    keeps typed numbers as floats: the STT 1 or the code 2 come back as 1.0, 2.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()
