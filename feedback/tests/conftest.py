"""Units and people for the feedback tests, on the dossier tests' small organisation."""

import pytest

from accounts.models import Membership, Role, User
from dossiers.tests.conftest import APPLICANT, at, client_for, make_dossier, org  # noqa: F401
from feedback.models import Channel, Feedback, State
from motcua.testing import SimulatorClient, answers, module_command, server_fixture


def _officer(username: str, unit, *roles) -> User:
    user = User.objects.create_user(username=username, password="x-Test-2026",
                                    kind=User.Kind.STAFF, full_name=username.title())
    for role in roles:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def pakn(org, settings):  # noqa: F811 - the shared fixture, imported above
    """org plus feedback officers: the centre receives, the department is the competent unit."""
    settings.MOTCUA_SMS_URL = ""
    settings.MOTCUA_NOTIFY_ON_COMMIT = False
    org.receiver = _officer("pakn.trungtam", org.centre, Role.FEEDBACK)
    org.receiver_head = _officer("lanhdao.trungtam", org.centre, Role.HEAD)
    org.officer = _officer("pakn.so", org.dept, Role.FEEDBACK)
    org.officer2 = _officer("pakn.so2", org.dept, Role.FEEDBACK)
    org.outsider = _officer("pakn.khac", org.other, Role.FEEDBACK, Role.HEAD)
    return org


@pytest.fixture
def make_item(pakn):
    """An item put straight into `state` (for the table's tests; the services build it in the
    walk-through tests)."""
    counter = iter(range(1, 10_000))

    def make(state: str = State.RECEIVED, **fields) -> Feedback:
        n = next(counter)
        received = fields.pop("received_at", at("2026-03-02 09:00"))
        handling = pakn.centre if state == State.RECEIVED else pakn.dept
        values = dict(
            code=f"PAKN-260302-T{n:05d}", lookup_secret="ABCDEFGH", channel=Channel.PORTAL,
            state=state, title="Thủ tục đòi bản sao không cần thiết",
            content="Bộ phận một cửa yêu cầu nộp thêm bản sao có chứng thực.",
            sender_name="Trần Thị Bích", sender_phone="0914222333",
            sender_email="bich@example.vn", receiving_unit=pakn.centre,
            handling_unit=handling, received_at=received,
            forward_due_at=at("2026-03-09 09:00"), kind="" if state == State.RECEIVED
            else "outside", answer="Đã chấn chỉnh." if state not in (
                State.RECEIVED, State.FORWARDED, State.ACCEPTED) else "",
            assignee=pakn.officer if state in (State.ASSIGNED, State.DRAFTED) else None,
            publish_consent=True)
        values.update(fields)
        return Feedback.objects.create(**values)

    return make


# ---- the national PAKN simulator as a real server process -----------------------------------

NATIONAL_USER, NATIONAL_PASSWORD = "pakn-test", "pakn-Test-2026"


class NationalServer(SimulatorClient):
    def __init__(self, base: str) -> None:
        super().__init__(base, auth=(NATIONAL_USER, NATIONAL_PASSWORD))

    def state(self) -> dict:
        return self.snapshot()


national_server = server_fixture(
    "national_server", module_command("feedback.national_simulator", "--user", NATIONAL_USER,
                                      "--password", NATIONAL_PASSWORD),
    ready=answers("/state.json"), client=NationalServer)


@pytest.fixture
def national(national_server, settings):
    """The simulator, emptied and up, with this installation's settings pointing at it."""
    national_server.control(reset=True, fail=False)
    settings.MOTCUA_FEEDBACK_NATIONAL_URL = national_server.base
    settings.MOTCUA_FEEDBACK_NATIONAL_USER = NATIONAL_USER
    settings.MOTCUA_FEEDBACK_NATIONAL_PASSWORD = NATIONAL_PASSWORD
    settings.MOTCUA_FEEDBACK_NATIONAL_TIMEOUT = 5
    yield national_server
    national_server.control(fail=False)
