"""Issue #17, done means: schemathesis over every operation of the API (coverage, fuzzing and
stateful phases) finds no server error and no status code the schema does not document.

This is the documented command, `bench/api_fuzz.py`, with a small budget (about 2,000 cases):
its own database with the demo province (a temporary SQLite file, or a temporary PostgreSQL
database beside the test database when the suite runs on PostgreSQL), gunicorn with production
settings, schemathesis with each operation run as a demo account that may call it and offered
identifiers of its own route family half the time. The full run is the same command with its
default budget of over 20,000 cases (docs/security.md, "Fuzzing")."""

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fuzz_database(tmp_path, request) -> Iterator[str]:
    """A database of the suite's kind, dropped afterwards: on SQLite a copy of the run's migrated
    file (the command's `migrate` then has nothing to do), on PostgreSQL an empty one."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        request.getfixturevalue("migrated_sqlite")(tmp_path / "fuzz.sqlite3")
        yield f"sqlite:///{tmp_path}/fuzz.sqlite3"
        return
    import psycopg

    name = f"motcua_fuzz_{uuid.uuid4().hex[:12]}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    server = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_schemathesis_finds_no_server_error_and_no_undocumented_status(fuzz_database):
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "api_fuzz.py"), "--max-examples", "5",
         "--min-cases", "1500", "--seed", "20260517"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
        env=os.environ | {"DATABASE_URL": fuzz_database})
    output = run.stdout + run.stderr
    found = re.search(r"cases: ([\d,]+) generated, (\d+) failures", output)
    assert found, output[-4000:]
    assert int(found.group(1).replace(",", "")) >= 1500, output[-4000:]
    assert found.group(2) == "0" and run.returncode == 0, output[-8000:]
    # Every operation is run as an account that gets past its door with identifiers of its
    # own route family (bench/api_fuzz_targets.py). Left out only: the national portal's and
    # the population database's routes (404 outside national mode) and the citizen's
    # supplement (the demo has no dossier of his waiting for one).
    unreached = re.search(r"not reached by any:\n((?:  .*\n)*)", output)
    assert unreached, output[-4000:]
    assert sorted(line.split()[1] for line in unreached.group(1).splitlines()) == [
        "/api/v1/cong-quoc-gia/dich-vu/", "/api/v1/cong-quoc-gia/dieu-khien/",
        "/api/v1/cong-quoc-gia/dieu-khien/", "/api/v1/cong-quoc-gia/ho-so/",
        "/api/v1/cong-quoc-gia/thong-ke/", "/api/v1/cong-quoc-gia/token/",
        "/api/v1/cong-quoc-gia/tra-cuu/", "/api/v1/csdl-dan-cu/tra-cuu/",
        "/api/v1/my/dossiers/{code}/supplement/"], output[:6000]
