"""Two officers acting on one dossier at once: the second waits for the first's lock and acts on
what the first wrote (issue #18's review: a lock statement that waited read a stale last event
number, and the second action ended in a 500 on the events' (dossier, seq) unique index)."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from dossiers.models import Dossier, DossierEvent
from dossiers.services import dossier_act


@pytest.mark.django_db(transaction=True)
def test_an_action_that_waited_for_the_lock_numbers_its_event_after_the_other(org, make_dossier):
    dossier = make_dossier()
    holding = threading.Event()
    errors: list[Exception] = []

    def apologize(new_due: str, *, hold: bool) -> None:
        try:
            with transaction.atomic():
                dossier_act(dossier=Dossier.objects.get(pk=dossier.pk), actor=org.head,
                            action="apologize", reason="Cần xác minh tại địa phương",
                            data={"new_due_at": new_due})
                if hold:
                    # The second action's lock statement starts while this one holds the lock.
                    holding.set()
                    time.sleep(0.5)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            holding.set()
            connection.close()

    first = threading.Thread(target=apologize, args=("2026-03-20T10:00:00+07:00",),
                             kwargs={"hold": True})
    first.start()
    holding.wait(10)
    second = threading.Thread(target=apologize, args=("2026-03-25T10:00:00+07:00",),
                              kwargs={"hold": False})
    second.start()
    first.join()
    second.join()

    assert errors == []
    events = list(DossierEvent.objects.filter(dossier_id=dossier.pk).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.action for e in events[-2:]] == ["apologize", "apologize"]
    # The second read the first's new due moment: it moved the date on from there.
    assert (parse_datetime(events[-1].data["previous_due_at"])
            == parse_datetime(events[-2].data["new_due_at"]))
    assert Dossier.objects.get(pk=dossier.pk).apology_count == 2
