"""Excel files handed out: what was typed is written as text, never as a formula.

openpyxl stores any string that begins with "=" as a formula. A register or a report carries
what citizens and officers typed (an applicant's name, an address, a reason): a name such as
`=HYPERLINK("http://…?"&C7,"Mở")` would run when an officer opens the export, and could send
the row's personal data to another site (CSV/formula injection, OWASP). None of the exports
writes a formula on purpose, so every formula cell is turned back into the text it was.

A CSV file has no cell types: Excel and LibreOffice take any field that begins with "=", "+",
"-" or "@" (or a tab or carriage return before one) for a formula when they open it. Such a
text field is written after an apostrophe, which both show as the text typed (OWASP's advice);
numbers are left as numbers, a negative one included (`csv_cells`).
"""

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

# What a spreadsheet opening a CSV file reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(values: Iterable[Any]) -> list[Any]:
    """A CSV row's `values`, each text that would open as a formula written as text."""
    return [f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
            for v in values]


def workbook_bytes(book: Workbook) -> bytes:
    """The .xlsx file of `book`, with every cell that openpyxl took for a formula kept as text
    (Excel and LibreOffice then show the characters as typed, the leading "=" included)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
