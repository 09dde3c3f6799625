"""What the Excel readers of reform/ share (the plan's annex, the PAR criteria set)."""

import re
import zipfile

from openpyxl.utils.exceptions import InvalidFileException

# What openpyxl raises on a damaged workbook (ParseError, a SyntaxError, for broken XML or for
# entities expanding past expat's limit; read-only sheets raise it as their rows are read).
UNREADABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError,
              SyntaxError, TypeError, IndexError)


def cell_text(value: object) -> str:
    """A cell as one line of text: whitespace collapsed, a whole float without its ".0" (Excel
    keeps typed numbers as floats: the STT 1 or the code 2 come back as 1.0, 2.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()
