"""The SMS gateway simulator as a real server process, and settings pointing at it.

Started once per test session with `python -m notifications.sms_simulator` (standard library
only, so it is up in a fraction of a second); each test empties it and switches its failure mode
through its control endpoint.
"""

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from dossiers.tests.conftest import APPLICANT, at, client_for, make_dossier, org  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "sms-test", "sms-Test-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmsServer:
    def __init__(self, base: str) -> None:
        self.base = base
        self.url = base + "/api/sms/"
        self.http = httpx.Client(timeout=5, auth=(USER, PASSWORD))

    def control(self, **switches) -> dict:
        response = self.http.post(self.base + "/control/", json=switches)
        response.raise_for_status()
        return response.json()

    def messages(self) -> list[dict]:
        """Received messages, oldest first."""
        return list(reversed(self.http.get(self.base + "/messages.json").json()["messages"]))


@pytest.fixture(scope="session")
def sms_server():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "notifications.sms_simulator", "--port", str(port),
         "--user", USER, "--password", PASSWORD],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = SmsServer(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 15
    while True:
        try:
            server.messages()
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.05)
    yield server
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sms(sms_server, settings):
    """The simulator, emptied and working, with this installation's settings pointing at it."""
    sms_server.control(reset=True, fail=False)
    settings.MOTCUA_SMS_URL = sms_server.url
    settings.MOTCUA_SMS_USER = USER
    settings.MOTCUA_SMS_PASSWORD = PASSWORD
    settings.MOTCUA_SMS_TIMEOUT = 5
    settings.MOTCUA_NOTIFY_ON_COMMIT = True
    settings.MOTCUA_SITE_URL = "https://motcua.example.vn"
    yield sms_server
    sms_server.control(fail=False)


@pytest.fixture
def applicant():
    """The shared test applicant, with an e-mail address as well as a phone."""
    return APPLICANT | {"email": "bich.tran@example.vn"}
