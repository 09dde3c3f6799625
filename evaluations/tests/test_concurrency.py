"""Two evaluations of one dossier at the same moment: exactly one is stored (both databases)."""

import threading

import pytest
from django.db import connection

from evaluations.models import Evaluation, EvaluationCounter
from evaluations.services import evaluation_submit
from evaluations.tests.conftest import answers
from motcua.errors import NotAllowed


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_store_one(org, returned):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(actor, channel):
        try:
            barrier.wait(timeout=10)
            evaluation_submit(dossier=returned, actor=actor, channel=channel, answers=answers())
            outcomes.append("stored")
        except NotAllowed as refused:
            outcomes.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(org.citizen, Evaluation.Channel.ONLINE)),
               threading.Thread(target=submit, args=(org.desk, Evaluation.Channel.KIOSK))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["already_evaluated", "stored"]
    assert Evaluation.objects.count() == 1
    # Counted once: the loser's transaction, counter included, rolled back.
    assert EvaluationCounter.objects.get().evaluated == 1
