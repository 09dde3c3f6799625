"""The committed openapi.yaml must match the API code; regenerate it with `make schema`."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import translation


def test_committed_schema_matches_the_code():
    out = StringIO()
    # The committed schema is the Vietnamese one, whatever language an earlier test left active.
    with translation.override("vi"):
        call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    committed = (Path(settings.BASE_DIR) / "openapi.yaml").read_text(encoding="utf-8")
    assert out.getvalue() == committed, (
        "openapi.yaml is out of date: run `make schema` and commit the result")


def test_schema_and_docs_pages_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/dossiers/{code}/actions/{action}/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
