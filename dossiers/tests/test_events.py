"""Event consumers run inside the transaction of the change: their failure undoes it. The events
of one transaction (filing and accepting at the desk) reach them together, at its end."""

import pytest
from django.test import override_settings

from dossiers.codes import PROVISIONAL_CODE_PREFIX
from dossiers.events import event_consumers
from dossiers.models import Dossier, DossierEvent, State
from dossiers.services import dossier_act
from dossiers.tests.conftest import at

SEEN: list[tuple] = []


def record(*, event, dossier):
    SEEN.append((event.action, dossier.state, event.batch_first, dossier.code))


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
        dossier = make_dossier(accept=False)
        dossier_act(dossier=dossier, action="accept", actor=org.desk, at=at("2026-03-02 09:30"))
        dossier_act(dossier=dossier, action="forward", actor=org.desk, at=at("2026-03-02 10:00"))
    code = dossier.code
    assert SEEN == [("submit", State.SUBMITTED, True, code), ("accept", State.RECEIVED, True, code),
                    ("forward", State.PROCESSING, True, code)]


def test_filing_and_accepting_reach_the_consumers_together_with_the_final_dossier(
        org, make_dossier, consumers):
    SEEN.clear()
    with consumers("dossiers.tests.test_events.record"):
        dossier = make_dossier(accept=True)
    # Both events see the dossier as the transaction leaves it, numbered; the first opens it.
    assert not dossier.code.startswith(PROVISIONAL_CODE_PREFIX)
    assert dossier.code.endswith("-260302-0001")
    assert SEEN == [("submit", State.RECEIVED, True, dossier.code),
                    ("accept", State.RECEIVED, False, dossier.code)]
    assert Dossier.objects.get(pk=dossier.pk).code == dossier.code
    assert list(dossier.events.values_list("seq", "action")) == [(1, "submit"), (2, "accept")]


def test_a_failing_consumer_at_filing_leaves_no_dossier_and_no_number_used(
        org, make_dossier, consumers):
    with consumers("dossiers.tests.test_events.refuse"), pytest.raises(RuntimeError):
        make_dossier(accept=True)
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    with consumers():
        assert make_dossier(accept=True).code.endswith("-260302-0001")


def test_a_failing_consumer_rolls_the_change_back(org, make_dossier, consumers):
    dossier = make_dossier()
    before = DossierEvent.objects.filter(dossier=dossier).count()
    with consumers("dossiers.tests.test_events.refuse"), pytest.raises(RuntimeError):
        dossier_act(dossier=dossier, action="forward", actor=org.desk, at=at("2026-03-02 10:00"))
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED
    assert DossierEvent.objects.filter(dossier=dossier).count() == before
