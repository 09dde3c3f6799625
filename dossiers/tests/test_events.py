"""Event consumers run inside the transaction of the change: their failure undoes it."""

import pytest
from django.test import override_settings

from dossiers.events import event_consumers
from dossiers.models import DossierEvent, State
from dossiers.services import dossier_act
from dossiers.tests.conftest import at

SEEN: list[tuple[str, str]] = []


def record(*, event, dossier):
    SEEN.append((event.action, dossier.state))


def refuse(*, event, dossier):
    raise RuntimeError("consumer failed")


@pytest.fixture
def consumers():
    def use(*paths):
        event_consumers.cache_clear()
        return override_settings(MOTCUA_EVENT_CONSUMERS=list(paths))
    yield use
    event_consumers.cache_clear()


def test_every_event_reaches_the_consumers_with_the_new_state(org, make_dossier, consumers):
    SEEN.clear()
    with consumers("dossiers.tests.test_events.record"):
        dossier = make_dossier()
        dossier_act(dossier=dossier, action="forward", actor=org.desk, at=at("2026-03-02 10:00"))
    assert SEEN == [("submit", State.SUBMITTED), ("accept", State.RECEIVED),
                    ("forward", State.PROCESSING)]


def test_a_failing_consumer_rolls_the_change_back(org, make_dossier, consumers):
    dossier = make_dossier()
    before = DossierEvent.objects.filter(dossier=dossier).count()
    with consumers("dossiers.tests.test_events.refuse"), pytest.raises(RuntimeError):
        dossier_act(dossier=dossier, action="forward", actor=org.desk, at=at("2026-03-02 10:00"))
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED
    assert DossierEvent.objects.filter(dossier=dossier).count() == before
