"""The national side as a real server process, and helpers to drive the provincial worker at it.

The server is this same project started with MOTCUA_MODE=national on its own SQLite file in a
temporary directory (a copy of the run's migrated file), once per test session; each test resets
its data and switches through the switch endpoint.
"""

import json
import os
import subprocess
import sys
import time

import httpx
import pytest

from dossiers.models import Dossier
from dossiers.states import portal_status
from dossiers.tests.conftest import APPLICANT, at, make_dossier, org  # noqa: F401
from motcua.testing import ROOT, gunicorn_command, server_process
from sync.delivery import sync_deliver_batch
from sync.models import Kind, OutboxMessage
from sync.portal_client import PortalClient

SECRET = "switch-secret-for-tests"
UNIT_CODE = "000.00.00.H99"
USERNAME = "tinh-thu-nghiem"
PASSWORD = "mat-khau-Thu-2026"


class NationalServer:
    def __init__(self, base: str) -> None:
        self.base = base
        self.url = base + "/api/v1/cong-quoc-gia/"
        self.http = httpx.Client(timeout=10)
        self._session = ""

    def switch(self, **switches) -> dict:
        response = self.http.post(self.url + "dieu-khien/", json=switches,
                                  headers={"X-Motcua-Switches": SECRET})
        response.raise_for_status()
        return response.json()

    def state(self) -> dict:
        return self.switch()

    def client(self, *, fresh: bool = False, **kwargs) -> PortalClient:
        """A client of this installation; it reuses one session unless `fresh`.

        Logging in checks a PBKDF2 password hash (about a second); the tests that are not about
        the session should not pay for it again and again.
        """
        options = {"url": self.url, "username": USERNAME, "password": PASSWORD,
                   "unit_code": UNIT_CODE, "timeout": 5} | kwargs
        client = PortalClient(**options)
        if not fresh:
            if not self._session:
                self._session = client.session()
            client._token, client._token_until = self._session, time.monotonic() + 3000
        return client

    def lookup(self, codes: list[str]) -> dict[str, dict]:
        client = self.client(timeout=10)
        try:
            answer = client._post("tra-cuu/", {"session": client.session(),
                                               "madonvi": UNIT_CODE, "MaHoSo": codes})
        finally:
            client.close()
        assert answer["error_code"] == "0", answer
        return {row["MaHoSo"]: row for row in answer["data"]}


@pytest.fixture(scope="session")
def national_server(tmp_path_factory, migrated_sqlite):
    tmp = tmp_path_factory.mktemp("national")
    # The same migrations in either mode: a copy of the run's migrated file (root conftest.py).
    migrated_sqlite(tmp / "national.sqlite3")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "MOTCUA_MODE": "national",
        "DATABASE_URL": f"sqlite:///{tmp / 'national.sqlite3'}",
        "MOTCUA_NATIONAL_TEST_SWITCHES": SECRET,
        "DJANGO_DEBUG": "1",
    }
    installation = ["sync_installation", UNIT_CODE, "--name", "UBND tỉnh Thử nghiệm",
                    "--username", USERNAME, "--password", PASSWORD, "--province", "99"]
    assert subprocess.run([sys.executable, str(ROOT / "manage.py"), *installation], cwd=ROOT,
                          env=env, timeout=120).returncode == 0

    # Threads let slow answers overlap.
    gunicorn = gunicorn_command("motcua.wsgi:application", "--threads", "8", "--timeout", "60")

    def ready(base: str) -> None:
        httpx.post(f"{base}/api/v1/cong-quoc-gia/dieu-khien/", json={}, timeout=10,
                   headers={"X-Motcua-Switches": SECRET}).raise_for_status()

    with server_process(gunicorn, env=env, ready=ready) as base:
        yield NationalServer(base)


@pytest.fixture
def portal(national_server, settings):
    """The national server, emptied, with this installation's settings pointing at it."""
    national_server.switch(reset=True, fail_http_500=False, delay_seconds=0,
                           already_exists=False)
    settings.MOTCUA_MODE = "province"
    settings.MOTCUA_PORTAL_URL = national_server.url
    settings.MOTCUA_PORTAL_USERNAME = USERNAME
    settings.MOTCUA_PORTAL_PASSWORD = PASSWORD
    settings.MOTCUA_PORTAL_UNIT_CODE = UNIT_CODE
    settings.MOTCUA_PORTAL_TIMEOUT = 5
    settings.MOTCUA_SYNC_BACKOFF_BASE = 0.02
    settings.MOTCUA_SYNC_BACKOFF_MAX = 0.1
    settings.MOTCUA_SYNC_MAX_TRIES = 8
    settings.MOTCUA_SYNC_LEASE_SECONDS = 30
    yield national_server
    national_server.switch(fail_http_500=False, delay_seconds=0, already_exists=False)


def unsent() -> int:
    return OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).count()


def drain(client: PortalClient, *, seconds: float = 15, batch: int = 100) -> None:
    """Run the worker's loop until every message is sent (or fail the test)."""
    deadline = time.monotonic() + seconds
    while unsent():
        assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).exists(), \
            list(OutboxMessage.objects.filter(status="failed").values_list("last_error"))
        assert time.monotonic() < deadline, "outbox not drained in time"
        result = sync_deliver_batch(client=client, batch=batch)
        if not result.claimed or result.unavailable:
            time.sleep(0.02)


def assert_in_sync(server: NationalServer, dossiers: list[Dossier]) -> None:
    """The national side holds exactly what we have: status, latest snapshot, every event once."""
    theirs = server.lookup([d.code for d in dossiers])
    for dossier in dossiers:
        dossier.refresh_from_db()
        row = theirs[dossier.code]
        assert row["TrangThaiHoSo"] == str(portal_status(dossier.state)), dossier.code
        snapshots = dossier.outbox_messages.filter(kind=Kind.DOSSIER)
        assert row["PhienBan"] == max(m.seq for m in snapshots)
        history = [m.payload for m in dossier.outbox_messages.filter(kind=Kind.PROGRESS)]
        assert dossier.events.count() == len(history)
        assert sorted(map(_canonical, row["TienDo"])) == sorted(map(_canonical, history))


def _canonical(row: dict) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False)
