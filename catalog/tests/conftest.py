"""Shared fixtures: where the national file lives, and a database holding all of it once."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from catalog.importer import ImportReport, import_catalog

# shared/ sits beside the checkout; a git worktree elsewhere names it with MOTCUA_SHARED_DIR.
SHARED_DIR = Path(os.environ.get("MOTCUA_SHARED_DIR") or Path(settings.BASE_DIR).parent / "shared")
NATIONAL_FILE = SHARED_DIR / "data/procedures/national-catalog-2642.jsonl.gz"


@pytest.fixture(scope="module")
def national_import(django_db_setup, django_db_blocker) -> Iterator[ImportReport]:
    """The whole national file imported once for a test module, rolled back afterwards.

    Importing 2,642 procedures takes several seconds; the tests of one module share it and
    each runs in its own savepoint on top of it.
    """
    if not NATIONAL_FILE.exists():
        pytest.skip(f"Không có tệp dữ liệu quốc gia {NATIONAL_FILE}.")
    with django_db_blocker.unblock(), transaction.atomic():
        yield import_catalog(NATIONAL_FILE)
        transaction.set_rollback(True)
