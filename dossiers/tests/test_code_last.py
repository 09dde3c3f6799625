"""The dossier's code taken by the filing's last statement (dossiers/codes.py `dossier_code_last`,
motcua/prepared.py `value_taken_last`, issue #18): on PostgreSQL the rows built before the number
is known carry a token, which that statement replaces by the code wherever they hold it — the
dossier's code, the outbox's keys and records, a notification written within the filing — so no
token is ever stored, and the code is the one the counter gives (gap-free: test_codes.py)."""

import json

import pytest
from django.db import connection
from psycopg.types.json import Jsonb

from dossiers.codes import CodeCounter
from dossiers.models import Dossier
from dossiers.tests.conftest import APPLICANT
from motcua.prepared import statement_write, value_taken, value_taken_last, writes_joined
from notifications.models import Notification
from sync.models import OutboxMessage

TOKEN = "~taken-"


@pytest.mark.django_db
def test_the_code_is_in_every_row_that_carries_it_and_no_token_is_stored(org, make_dossier):
    first = make_dossier(accept=True)
    # With an e-mail the applicant is told: its notification is written within the filing,
    # by a statement of its own that returns its id (notifications/outbox.py).
    second = make_dossier(accept=True, applicant={**APPLICANT, "email": "bich@example.vn"})
    assert (first.code, second.code) == ("000.00.12.H99-260302-0001",
                                         "000.00.12.H99-260302-0002")
    for dossier in (first, second):
        stored = Dossier.objects.get(pk=dossier.pk)
        assert stored.code == dossier.code
        messages = list(OutboxMessage.objects.filter(dossier=dossier).order_by("seq"))
        assert [m.idempotency_key for m in messages] == [f"{dossier.code}:{m.seq}"
                                                         for m in messages]
        assert all(m.payload["MaHoSo"] == dossier.code for m in messages)
    told = list(Notification.objects.all())
    assert told and all(second.code in n.subject + n.body for n in told)
    assert all(TOKEN not in repr(n.subject + n.body) for n in told)
    assert not any(TOKEN in repr(m.payload) + m.idempotency_key
                   for m in OutboxMessage.objects.all())


@pytest.mark.django_db
def test_the_code_keeps_every_digit_past_9999(org, make_dossier):
    make_dossier(accept=False)
    CodeCounter.objects.update(last=9_999)
    assert make_dossier(accept=True).code == "000.00.12.H99-260302-10000"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="joined writes are PostgreSQL's")
@pytest.mark.django_db
def test_a_value_taken_last_replaces_its_token_in_text_and_in_json():
    value = 'A"b\\c-ư-0007'  # a quote and a backslash, escaped inside JSON
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE taken_test (t text, j jsonb, n int)")
    with writes_joined():
        token = value_taken_last("SELECT %s::text AS value", [value])
        statement_write("INSERT INTO taken_test (t, j, n) VALUES (%s, %s, %s)",
                        [f"x{token}y", Jsonb({"code": token, "list": [f"{token}:1", 2]}), 5])
    assert value_taken(token) == value
    with connection.cursor() as cursor:
        cursor.execute("SELECT t, j::text, n FROM taken_test")
        (t, j, n), = cursor.fetchall()
    assert (t, json.loads(j), n) == (f"x{value}y", {"code": value, "list": [f"{value}:1", 2]}, 5)
