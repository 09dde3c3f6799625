"""The SMS gateway simulator as a real server process, and settings pointing at it.

Started once per test session with `python -m notifications.sms_simulator` (standard library
only, so it is up in a fraction of a second); each test empties it and switches its failure mode
through its control endpoint.
"""

import pytest

from dossiers.tests.conftest import APPLICANT, at, client_for, make_dossier, org, root  # noqa: F401
from motcua.testing import SimulatorClient, answers, module_command, server_fixture

USER, PASSWORD = "sms-test", "sms-Test-2026"


class SmsServer(SimulatorClient):
    inspection = "/messages.json"

    def __init__(self, base: str) -> None:
        super().__init__(base, auth=(USER, PASSWORD))
        self.url = base + "/api/sms/"

    def messages(self) -> list[dict]:
        """Received messages, oldest first."""
        return list(reversed(self.snapshot()["messages"]))


sms_server = server_fixture(
    "sms_server", module_command("notifications.sms_simulator", "--user", USER,
                                 "--password", PASSWORD),
    ready=answers("/messages.json"), client=SmsServer)


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
