"""A returned dossier whose applicant has an account, and a full set of answers."""

import pytest

from dossiers.models import Dossier
from dossiers.services import dossier_act
from dossiers.tests import conftest as dossier_fixtures
from dossiers.tests.conftest import at

# The dossier tests' fixtures, shared rather than copied.
org = dossier_fixtures.org
make_dossier = dossier_fixtures.make_dossier
client_for = dossier_fixtures.client_for


def _act(dossier, actor, action, when, **kw):
    return dossier_act(dossier=dossier, actor=actor, action=action, at=at(when), **kw)


def returned_dossier(org, make_dossier, *, day: str = "2026-03-02") -> Dossier:
    """Accepted, processed, approved and handed over on one working day (Monday 02/03/2026)."""
    d = make_dossier(when=f"{day} 08:00")
    d = _act(d, org.desk, "forward", f"{day} 08:30", data={"assignee": org.specialist.pk})
    d = _act(d, org.specialist, "forward", f"{day} 09:00", data={"assignee": org.head.pk})
    d = _act(d, org.head, "approve", f"{day} 10:00")
    d = _act(d, org.desk, "return_result", f"{day} 11:00",
             data={"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}})
    Dossier.objects.filter(pk=d.pk).update(applicant_user=org.citizen)
    d.refresh_from_db()
    return d


@pytest.fixture
def returned(org, make_dossier, settings):
    settings.MOTCUA_SMS_URL = ""  # the evaluation tests do not need an SMS gateway
    return returned_dossier(org, make_dossier)


def answers(points: int = 2, overall: str = "very_satisfied", **extra) -> dict:
    data = {k: points for k in ("total_time", "agency_time", "contacts", "agencies",
                                "one_stop", "publicity", "attitude", "complaints",
                                "online_service")}
    return data | {"ease_rating": "satisfied", "overall_rating": overall} | extra
