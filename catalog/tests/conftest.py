"""Shared fixtures: where the national file lives, and a database holding all of it once."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from catalog.importer import ImportReport, import_catalog
from motcua import table_copy
from motcua.table_copy import Snapshot

# shared/ sits beside the checkout; a git worktree elsewhere names it with MOTCUA_SHARED_DIR.
SHARED_DIR = Path(os.environ.get("MOTCUA_SHARED_DIR") or Path(settings.BASE_DIR).parent / "shared")
NATIONAL_FILE = SHARED_DIR / "data/procedures/national-catalog-2642.jsonl.gz"


@dataclass
class NationalCopy:
    """The first module's import of the national file: its report and a copy of the tables it
    filled (motcua/table_copy.py), for the next module that needs the same database."""

    report: ImportReport | None = None
    snapshot: Snapshot | None = None


@pytest.fixture(scope="session")
def national_copy() -> NationalCopy:
    return NationalCopy()


@pytest.fixture(scope="module")
def national_import(django_db_setup, django_db_blocker, national_copy) -> Iterator[ImportReport]:
    """The whole national file imported once for a test module, rolled back afterwards.

    Importing 2,642 procedures takes 20 s; the tests of one module share it and each runs in its
    own savepoint on top of it. A later module (the search quality on the whole catalogue) gets
    the first module's tables back from a copy instead of importing the file again: the same
    rows, ids and sequences, in a second or two.
    """
    if not NATIONAL_FILE.exists():
        pytest.skip(f"Không có tệp dữ liệu quốc gia {NATIONAL_FILE}.")
    with django_db_blocker.unblock(), transaction.atomic():
        if national_copy.snapshot is None:
            report = import_catalog(NATIONAL_FILE)
            national_copy.report, national_copy.snapshot = report, table_copy.take()
        else:
            table_copy.restore(national_copy.snapshot)
        yield national_copy.report
        transaction.set_rollback(True)
