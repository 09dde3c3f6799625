"""Issue #17, done means: schemathesis over every operation of the API (coverage, fuzzing and
stateful phases) finds no server error and no status code the schema does not document.

This is the small budget the suite runs on both databases (about 2,000 cases, two minutes),
against gunicorn with production settings on the test database; `bench/api_fuzz.py` runs the
same with over 20,000 (docs/security.md, "Fuzzing")."""

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from accounts.models import User
from bench.api_fuzz import fuzz, known_values, production_server
from e2e.conftest import migrated_data, restore_migrated_data  # noqa: F401  (fixture)


def _database_url() -> str:
    """The test database, for a server in another process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    credentials = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{credentials}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_schemathesis_finds_no_server_error_and_no_undocumented_status(migrated_data):  # noqa: F811
    from accounts.demo import load_demo

    restore_migrated_data(migrated_data)
    load_demo()
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="tiepnhan"))
    values = known_values()
    connection.close()
    with production_server(_database_url(), workers=2) as base:
        result = fuzz(base, token.key, values=values, max_examples=5, seed=20260517)
    assert result.generated >= 1500, result.output[-3000:]
    assert result.ok, result.output[-6000:]
