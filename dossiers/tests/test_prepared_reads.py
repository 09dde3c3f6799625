"""The hot paths' statements built once (motcua/prepared.py) give what the ORM's would, and the
row-level rule still hides another unit's dossier from an action (issue #18)."""

import pickle

import pytest
from django.db.models import Count

from dossiers.models import Dossier, DossierEvent, DossierStep, State
from dossiers.selectors import detail_lists
from dossiers.tests.test_api import act, client_for, create_body
from motcua.prepared import Prepared, row_new, row_update, rows_insert


def _filed(org, **extra) -> str:
    r = client_for(org.desk).post("/api/v1/dossiers/", create_body(org, **extra), format="json")
    assert r.status_code == 201, r.content
    return r.json()["code"]


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.django_db
def test_a_prepared_read_gives_the_querysets_instances(org):
    code = _filed(org, accept=True)
    dossier = Dossier.objects.get(code=code)
    steps = detail_lists()[0].queryset
    read = Prepared(lambda d: steps.filter(dossier_id=d), int)
    for _ in range(2):  # compiled by the first run, reused by the second
        got = read.rows(dossier.pk)
        expected = list(steps.filter(dossier_id=dossier.pk))
        assert [_values(s) for s in got] == [_values(s) for s in expected]
        # select_related: the units and officers come with the steps, as the queryset's do.
        assert [(s.unit.code, s.assignee and s.assignee.username) for s in got] == \
            [(s.unit.code, s.assignee and s.assignee.username) for s in expected]
    assert read.rows(-5) == []
    by_code = Prepared(lambda c: Dossier.objects.filter(code=c)
                       .annotate(n_events=Count("events")), str)
    (found,) = by_code.rows(code)
    assert found.pk == dossier.pk and found.n_events == 2
    assert by_code.rows("000.00.12.H99-000000-9999") == []
    pairs = Prepared(lambda d: DossierStep.objects.filter(dossier_id=d)
                     .values_list("order", "role"), int)
    assert pairs.rows(dossier.pk) == list(DossierStep.objects.filter(dossier_id=dossier.pk)
                                          .values_list("order", "role"))


@pytest.mark.django_db
def test_a_prepared_reads_instances_are_the_ones_from_db_builds(org):
    """Built without Model.__init__ when every field is read (motcua/prepared.py `_built`):
    the same attributes, state, descriptors and relations as the queryset's instances."""
    from results.models import StoredDocument

    code = _filed(org, accept=True)
    dossier = Dossier.objects.get(code=code)
    read = Prepared(lambda c: Dossier.objects.filter(code=c), str)
    (got,) = read.rows(code)
    assert read._compiled_for().direct
    assert type(got) is Dossier and got._state.adding is False and got._state.db == "default"
    assert {k: v for k, v in got.__dict__.items() if k != "_state"} == \
        {k: v for k, v in dossier.__dict__.items() if k != "_state"}
    # A foreign key's instance is read through its id; a change is saved as after a get().
    assert got.receiving_unit == dossier.receiving_unit and got.current_step.order == 1
    got.summary = "Đã đổi"
    got.save(update_fields=["summary"])
    assert Dossier.objects.get(pk=dossier.pk).summary == "Đã đổi"
    # A file field's value is wrapped by its descriptor, as on an instance from the queryset.
    stored = StoredDocument.objects.create(
        kind=StoredDocument.Kind.DIGITISED, title="Giấy tờ", issuer_unit=org.centre,
        issued_at=dossier.submitted_at, owner_id_number="056185004321", owner_name="An",
        file="results/x.pdf")
    by_pk = Prepared(lambda pk: StoredDocument.objects.filter(pk=pk), int)
    (doc,) = by_pk.rows(stored.pk)
    assert by_pk._compiled_for().direct
    assert doc.file.name == "results/x.pdf" and doc.uid == stored.uid and doc.pk == stored.pk
    # Only some fields read: Django's from_db (the others deferred), as before.
    some = Prepared(lambda c: Dossier.objects.filter(code=c).only("id", "state"), str)
    (part,) = some.rows(code)
    assert not some._compiled_for().direct and part.get_deferred_fields()


@pytest.mark.django_db
def test_rows_insert_and_row_update_write_what_save_would(org):
    dossier = Dossier.objects.get(code=_filed(org))
    events = [DossierEvent(dossier=dossier, seq=seq, action="note", at=dossier.submitted_at,
                           actor=org.desk, actor_name="x", from_state=State.SUBMITTED,
                           to_state=State.SUBMITTED, data={"n": seq}) for seq in (10, 11)]
    rows_insert(events)
    assert all(e.pk and not e._state.adding for e in events)
    stored = DossierEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("seq")
    assert [(e.seq, e.data, e.dossier_id) for e in stored] == [(10, {"n": 10}, dossier.pk),
                                                                (11, {"n": 11}, dossier.pk)]
    before = Dossier.objects.get(pk=dossier.pk)
    dossier.summary = "Tóm tắt mới"
    dossier.applicant_phone = "0900000000"  # changed in memory, not named: not written
    row_update(dossier, ["summary"])
    after = Dossier.objects.get(pk=dossier.pk)
    assert after.summary == "Tóm tắt mới" and after.applicant_phone == before.applicant_phone
    assert after.updated_at > before.updated_at  # auto_now, as save writes it


def _built_as(obj) -> tuple:
    state = obj._state
    return ({k: v for k, v in obj.__dict__.items() if k != "_state"}, state.adding, state.db,
            dict(state.fields_cache))


@pytest.mark.django_db
def test_row_new_builds_what_the_model_builds(org):
    """The event, the outbox message and the stored result built without Model.__init__
    (motcua/prepared.py `row_new`) are the instances the model's call builds: every value and
    default, the related instances cached, the state; and they save alike."""
    import uuid

    from django.utils import timezone

    from results.models import StoredDocument
    from sync.models import Kind, OutboxMessage

    dossier = Dossier.objects.get(code=_filed(org, accept=True))
    now = timezone.now()
    uid = uuid.uuid4()
    cases = [
        (DossierEvent, dict(dossier=dossier, seq=9, action="forward", at=now, actor=org.desk,
                            actor_name="A", actor_unit=None, from_state="received",
                            to_state="processing", step=None, reason="", data={"k": 1})),
        (OutboxMessage, dict(dossier=dossier, competent_unit_id=dossier.competent_unit_id,
                             seq=9, kind=Kind.PROGRESS, payload={"a": 1}, is_update=True,
                             idempotency_key=f"{dossier.code}:9", next_try_at=now,
                             created_at=now)),
        (StoredDocument, dict(uid=uid, kind=StoredDocument.Kind.RESULT, title="T",
                              issuer_unit=dossier.competent_unit, issued_at=now,
                              dossier=dossier, created_by=None)),
    ]
    for model, values in cases:
        built, expected = row_new(model, **dict(values)), model(**dict(values))
        assert _built_as(built) == _built_as(expected), model
        assert built.dossier is dossier
    with pytest.raises(TypeError):
        row_new(DossierEvent, dossier=dossier, no_such_field=1)
    with pytest.raises(ValueError):
        row_new(DossierEvent, dossier=org.desk)
    event = row_new(DossierEvent, **cases[0][1])
    event.save()
    assert DossierEvent.objects.get(pk=event.pk).data == {"k": 1}


@pytest.mark.django_db
def test_the_lock_statement_reads_for_results_only_what_the_action_uses(org):
    """A forward's lock statement carries neither of the results consumer's subqueries; an
    approval's asks whether drafts exist, a return of the result whether one waits for its
    rendering (results/lock_reads.py `USED_BY`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from results.lock_reads import RESULTS, VERSIONS, results_lock_reads

    code = _filed(org, accept=True)
    with CaptureQueriesContext(connection) as q:
        assert act(client_for(org.desk), code, "forward").status_code == 200
    (lock,) = [x["sql"] for x in q.captured_queries if "last_event_seq" in x["sql"]]
    assert "dossiers_dossierevent" in lock
    assert "results_resultdraft" not in lock and "results_storeddocument" not in lock
    assert set(results_lock_reads("approve")) == {VERSIONS}
    assert set(results_lock_reads("return_result")) == {RESULTS}
    assert set(results_lock_reads()) == {VERSIONS, RESULTS}
    assert results_lock_reads("forward") == {}


@pytest.mark.django_db
def test_an_action_on_another_units_dossier_is_a_404_whatever_the_refusal(org):
    code = _filed(org)  # submitted, at the centre's desk
    stranger = client_for(org.other_desk)
    # Refused for a wrong state, a missing role or a missing reason alike: not found.
    for action, body in (("approve", {}), ("accept", {}), ("refuse", {"reason": ""})):
        r = act(stranger, code, action, **body)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    # The dossier's own desk is told why.
    desk = client_for(org.desk)
    assert act(desk, code, "approve").json()["error"]["code"] == "invalid_transition"
    assert act(desk, code, "refuse", reason="").json()["error"]["code"] == "reason_required"
    # The competent unit's head sees it (the rule), so is told the role does not allow it.
    r = act(client_for(org.head), code, "accept")
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    assert Dossier.objects.get(code=code).state == State.SUBMITTED


def _prepared_on_server() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_hot_statements_are_prepared_once_per_connection(org, settings):
    """On PostgreSQL an action's reads built once (the lock statement, the steps, the papers)
    are prepared on the server, bound there; a refused action's rollback drops them and the next
    action prepares them again; the rest (the filing's and the action's joined writes: the steps'
    and the dossier's updates, the event and outbox inserts, motcua/prepared.py writes_joined)
    keeps Django's client-side binding. Elsewhere (SQLite), or with the setting off, a hot
    statement runs as any other."""
    from django.db import connection

    from motcua.prepared import hot_cursor

    desk = client_for(org.desk)
    first, second, third = (_filed(org, accept=True) for _ in range(3))
    assert act(desk, first, "forward").status_code == 200
    postgres = connection.vendor == "postgresql"
    if postgres:
        held = _prepared_on_server()
        # The steps and papers come with the lock statement, as JSON (no statement of their
        # own on PostgreSQL, issue #18).
        assert any("FOR UPDATE" in s and "dossiers_dossier" in s and "json_agg" in s
                   for s in held)
        assert not any(s.startswith(('SELECT "dossiers_dossierstep"',
                                     'SELECT "dossiers_dossierdocument"')) for s in held)
        # The token's read is built once too (accounts/tokens.py); the joined writes (the
        # filing's, whose text varies with the papers and steps, and the action's, which
        # measured no cheaper prepared) keep the client-side binding.
        assert any("accounts_apitoken" in s for s in held)
        joined = ("WITH ", 'INSERT INTO "dossiers_dossierevent"', 'UPDATE "dossiers_dossierstep"')
        assert not any(s.startswith(joined) for s in held)
    # A refusal rolls the transaction back (psycopg forgets what it prepared); the next action
    # prepares its statements again and succeeds.
    assert act(desk, second, "approve").status_code == 409
    assert act(desk, second, "forward").status_code == 200
    if postgres:
        assert any("FOR UPDATE" in s for s in _prepared_on_server())
    with hot_cursor(connection) as cursor:
        prepares = type(cursor.cursor).__name__ == "PreparingCursor"
    assert prepares == postgres
    settings.MOTCUA_PREPARE_HOT_STATEMENTS = False
    with hot_cursor(connection) as cursor:
        assert type(cursor.cursor).__name__ != "PreparingCursor"
    assert act(desk, third, "forward").status_code == 200
    assert Dossier.objects.filter(code__in=[first, second, third],
                                  state=State.PROCESSING).count() == 3


@pytest.mark.django_db
def test_a_model_with_its_own_init_is_built_by_its_own_init(org, monkeypatch):
    """Reads and new rows decide alike whether a model may be built without Model.__init__
    (motcua/prepared.py `direct_spec`): a model whose class defines its own `__init__` is
    built by it, by a read's rows (through from_db) as by `row_new`."""
    from django.db.models import Model

    from motcua import prepared

    code = _filed(org, accept=True)
    built = []

    def own_init(self, *args, **kwargs):
        built.append(self)
        Model.__init__(self, *args, **kwargs)

    monkeypatch.setattr(prepared, "_DIRECT", {})
    monkeypatch.setattr(Dossier, "__init__", own_init, raising=False)
    read = Prepared(lambda c: Dossier.objects.filter(code=c), str)
    (got,) = read.rows(code)
    assert not read._compiled_for().direct and built == [got]
    assert got.code == code and got._state.adding is False
    monkeypatch.setattr(DossierEvent, "__init__", own_init, raising=False)
    event = row_new(DossierEvent, dossier=got, seq=99, action="note", at=got.submitted_at,
                    actor=org.desk, actor_name="x", from_state=State.RECEIVED,
                    to_state=State.RECEIVED)
    assert built[-1] is event and event.dossier is got


@pytest.mark.django_db
def test_a_read_as_json_in_another_statement_gives_the_reads_instances(org):
    """On PostgreSQL a prepared read can ride in another statement as a JSON column
    (`Prepared.json_sql`, the steps and papers in an action's lock statement, issue #18): the
    instances built from it (`rows_json`) are the ones the read itself gives — every value of
    the same type (moments aware in the connection's zone, a decimal with its scale, a date),
    the officers joined to the steps, the order kept. SQLite keeps the read of its own."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    from accounts.models import User
    code = _filed(org, accept=True)
    dossier = Dossier.objects.get(code=code)
    act(client_for(org.desk), code, "forward", data={"assignee": org.specialist.pk})
    User.objects.filter(pk=org.specialist.pk).update(birth_date="1990-02-03")
    steps = detail_lists()[0].queryset.select_related(None).select_related("assignee")
    papers = Dossier.documents.rel.related_model.objects
    outer = '"dossiers_dossier"."id"'
    for qs in (steps, papers):
        read = Prepared(lambda d, qs=qs: qs.filter(dossier_id=d), int)
        sql = read.json_sql(outer)
        if connection.vendor != "postgresql":
            assert sql is None
            continue
        (arrays,) = Dossier.objects.filter(pk=dossier.pk).annotate(
            rows=RawSQL(sql, ())).values_list("rows", flat=True)
        got, expected = read.rows_json(arrays), read.rows(dossier.pk)
        assert len(got) == len(expected) >= 2
        for a, b in zip(got, expected, strict=True):
            assert type(a) is type(b) and a._state.adding is False
            assert [(k, v, type(v)) for k, v in _values(a).items()] == \
                [(k, v, type(v)) for k, v in _values(b).items()]
            for k, v in _values(a).items():
                if hasattr(v, "tzinfo"):
                    assert v.tzinfo == getattr(b, k).tzinfo
        if qs is steps:
            assert [str(s.share_percent) for s in got] == [str(s.share_percent) for s in expected]
            officers = [(s.assignee and _values(s.assignee)) for s in got]
            assert officers == [(s.assignee and _values(s.assignee)) for s in expected]
            assert any(o and o["birth_date"] and o["birth_date"].isoformat() == "1990-02-03"
                       for o in officers)
        assert read.rows_json(None) == []
    # A read of more than one value keeps its own statement.
    two = Prepared(lambda d, u: steps.filter(dossier_id=d, unit_id=u), int, int)
    assert two.json_sql(outer) is None


@pytest.mark.django_db
def test_field_values_are_written_once_per_plan(org):
    """The values an insert or an update sends are taken by one function per plan and kind of
    write (motcua/prepared.py `_values_written`, issue #18): the same values, in the same
    order, as each field's preparation gives them — a text as it is, a JSON value and a naive
    moment by their fields, a missing or None value as its field says."""
    from django.db import connection
    from django.utils import timezone

    from motcua import prepared

    dossier = Dossier.objects.get(code=_filed(org))
    event = DossierEvent(dossier=dossier, seq=10, action=State.RECEIVED, at=timezone.now(),
                         from_state=State.SUBMITTED, to_state=State.RECEIVED, data={"k": [1]},
                         reason=None)
    fields = list(DossierEvent._meta.concrete_fields)[1:]
    for add in (True, False):
        expected = [f.get_db_prep_save(f.pre_save(event, add), connection) for f in fields]
        params: list = []
        prepared._field_values(event, prepared._field_plan(fields, connection.vendor)[0], add,
                               connection, params)
        assert [getattr(p, "obj", p) for p in params] == [getattr(p, "obj", p)
                                                          for p in expected]
    plan = prepared._field_plan(fields, connection.vendor)[0]
    assert prepared._WRITERS[(id(plan), connection.vendor)].__code__.co_filename == (
        "<motcua.prepared field values>")


@pytest.mark.django_db
def test_row_params_send_what_the_fields_prepare_without_asking_them(org, monkeypatch):
    """A choice's enum member (a `str`), and on PostgreSQL a UUID and a date, are what their
    fields' preparation gives back unchanged: `row_params` (and so `row_update` and
    `rows_insert`) sends them as they are, without the field's calls (issue #18)."""
    import uuid
    from datetime import date

    from django.db import connection
    from django.db.models import Field
    from django.utils import timezone

    from motcua.prepared import row_params
    from results.models import StoredDocument

    dossier = Dossier.objects.get(code=_filed(org))
    stored = StoredDocument(kind=StoredDocument.Kind.RESULT, uid=uuid.uuid4(), title="Quyết định",
                            issued_at=timezone.now(), valid_until=date(2027, 1, 31),
                            owner_name="Trần Thị Bích", issuer_unit=org.dept, dossier=dossier)
    event = DossierEvent(dossier=dossier, seq=10, action="note", at=timezone.now(),
                         from_state=State.SUBMITTED, to_state=State.RECEIVED)
    asked: list[str] = []
    original = Field.get_db_prep_save

    def counted(self, value, connection):
        asked.append(self.name)
        return original(self, value, connection)

    for obj, names in ((stored, ["kind", "uid", "valid_until", "title", "issued_at"]),
                       (event, ["from_state", "to_state", "action", "at"])):
        fields = [type(obj)._meta.get_field(name) for name in names]
        expected = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields]
        asked.clear()
        monkeypatch.setattr(Field, "get_db_prep_save", counted)
        assert row_params(obj, fields, connection) == expected
        monkeypatch.setattr(Field, "get_db_prep_save", original)
        if connection.vendor == "postgresql":
            assert asked == []
        else:
            # SQLite stores a UUID as hex and a date as text: those fields still prepare them.
            assert "kind" not in asked and "from_state" not in asked


def _sent(value):
    """A value as the database receives it: psycopg's JSON wrapper by its object and dumps."""
    return ("Jsonb", value.obj, value.dumps) if type(value).__name__ == "Jsonb" else value


@pytest.mark.django_db
def test_row_params_send_json_decimals_and_emails_as_their_fields_prepare_them(org,
                                                                              monkeypatch):
    """Issue #18: on PostgreSQL an event's data (a JSON field's dict), a step's share (a decimal
    field's finite Decimal) and the applicant's e-mail (an e-mail field's text) are sent as the
    fields' preparation sends them — the JSON wrapped with the field's dumps, the others as they
    are — without asking the fields (`motcua.prepared._values_written`); anything else, and
    everything on SQLite, as the fields prepare it."""
    from decimal import Decimal

    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.db.models import Field
    from django.utils import timezone

    from motcua.prepared import row_params

    dossier = Dossier.objects.get(code=_filed(org, accept=True))
    dossier.applicant_email = "bich@example.vn"
    step = DossierStep.objects.filter(dossier=dossier).first()
    step.share_percent = Decimal("12.50")
    event = DossierEvent(dossier=dossier, seq=10, action="note", at=timezone.now(),
                         from_state=State.SUBMITTED, to_state=State.RECEIVED,
                         data={"n": [1, "hai"], "khi": None})
    asked: list[str] = []
    original = Field.get_db_prep_save

    def counted(self, value, connection):
        asked.append(self.name)
        return original(self, value, connection)

    for obj, names in ((event, ["data"]), (step, ["share_percent"]),
                       (dossier, ["applicant_email"])):
        fields = [type(obj)._meta.get_field(name) for name in names]
        expected = [_sent(f.get_db_prep_save(f.pre_save(obj, False), connection))
                    for f in fields]
        asked.clear()
        monkeypatch.setattr(Field, "get_db_prep_save", counted)
        sent = [_sent(v) for v in row_params(obj, fields, connection)]
        monkeypatch.setattr(Field, "get_db_prep_save", original)
        assert sent == expected
        assert asked == ([] if connection.vendor == "postgresql" or names == ["applicant_email"]
                         else names)
    # A value the shortcut cannot take (a JSON field's text, an infinite Decimal) is the
    # field's to prepare, and the field says what is wrong with it.
    event.data = "văn bản"
    step.share_percent = Decimal("Infinity")
    asked.clear()
    monkeypatch.setattr(Field, "get_db_prep_save", counted)
    row_params(event, [DossierEvent._meta.get_field("data")], connection)
    with pytest.raises(ValidationError):
        row_params(step, [DossierStep._meta.get_field("share_percent")], connection)
    monkeypatch.setattr(Field, "get_db_prep_save", original)
    assert asked == ["data", "share_percent"]


@pytest.mark.django_db
def test_an_action_reads_its_held_lists_without_building_related_managers(org, monkeypatch):
    """The handlers, the portal snapshot and the answer read the steps, papers and pauses the
    action holds as they are (`related_rows`, the answer's lists), not through a related
    manager built on every access, and holding them builds none either: the queryset Django's
    manager would find is built only when asked (`HeldLists`, issue #18)."""
    from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor

    from motcua.prepared import related_hold, related_rows

    code = _filed(org, accept=True)
    dossier = Dossier.objects.get(code=code)
    held = list(DossierStep.objects.filter(dossier=dossier).order_by("order"))
    related_hold(dossier, "steps", held)
    assert related_rows(dossier, "steps") == held
    # Not held: the relation's queryset, as `.all()` gives it.
    assert list(related_rows(dossier, "documents")) == list(dossier.documents.all())

    built: list[str] = []
    real = ReverseManyToOneDescriptor.__get__

    def counted(self, instance, cls=None):
        if instance is not None:
            built.append(self.rel.get_accessor_name())
        return real(self, instance, cls)

    monkeypatch.setattr(ReverseManyToOneDescriptor, "__get__", counted)
    r = client_for(org.desk).post(f"/api/v1/dossiers/{code}/actions/forward/", {},
                                  format="json")
    assert r.status_code == 200, r.content
    assert len(r.json()["steps"]) == len(held) and r.json()["documents"]
    # Neither holding the steps, papers and (none) pauses nor reading them built a manager.
    assert built == [], built


@pytest.mark.django_db
def test_a_held_list_is_the_managers_queryset_once_asked(org, django_assert_num_queries):
    """A list `related_hold` records becomes, when code asks the related manager (or
    prefetch_related) for it, the queryset the manager builds — the relation's filter, the
    instance as the rows' known related object — holding that very list, as holding built it
    before (motcua/prepared.py `HeldLists`); a popped one is read afresh."""
    from django.db.models import prefetch_related_objects

    from dossiers.models import DossierPause
    from motcua.prepared import HeldLists, held_rows, related_hold

    code = _filed(org, accept=True)
    dossier, fresh = Dossier.objects.get(code=code), Dossier.objects.get(code=code)
    held = list(DossierStep.objects.filter(dossier=dossier).order_by("order"))
    related_hold(dossier, "steps", held)
    related_hold(dossier, "pauses", [])
    cache = dossier._prefetched_objects_cache
    assert type(cache) is HeldLists and "steps" in cache and "documents" not in cache
    rows = held_rows(dossier, "steps")
    assert rows == held
    with django_assert_num_queries(0):
        qs = dossier.steps.all()
        assert qs._result_cache is rows and list(qs) == held
        assert qs.count() == len(held) and qs.exists()
        assert list(dossier.pauses.all()) == []
        prefetch_related_objects([dossier], "steps", "pauses")
    assert dossier.steps.all() is qs and held_rows(dossier, "steps") is rows
    own = fresh.steps.all()
    assert type(qs) is type(own)
    assert str(qs.filter(order=1).query) == str(own.filter(order=1).query)
    assert list(qs.filter(order=1)) == [held[0]]
    assert qs._known_related_objects == {Dossier.steps.field: {dossier.pk: dossier}}
    assert qs._hints == {"instance": dossier}
    assert cache.get("documents", "none") == "none"
    # Its values all querysets (a pickled dossier keeps the lists as prefetch_related's).
    assert all(isinstance(v, type(own)) for v in cache.values())
    copied = pickle.loads(pickle.dumps(dossier))
    assert [s.pk for s in held_rows(copied, "steps")] == [s.pk for s in held]
    DossierPause.objects.create(dossier=dossier, kind=DossierPause.Kind.SUPPLEMENT,
                                started_at=dossier.received_at)
    popped = cache.pop("pauses")
    assert list(popped) == [] and "pauses" not in cache
    with django_assert_num_queries(1):
        assert len(dossier.pauses.all()) == 1


@pytest.mark.django_db
def test_a_hot_cursor_looks_the_connection_up_once(monkeypatch):
    """`django.db.connection` is a proxy that looks the thread's connection up again on every
    attribute read; the hot and joined cursors (an approval's storing of its result passes the
    proxy) resolve it once (motcua/prepared.py `connection_itself`, issue #18) and run as
    before."""
    from django.db import connection
    from django.utils.connection import ConnectionProxy

    from motcua.prepared import hot_cursor, joined_cursor

    reads = []
    looked_up = ConnectionProxy.__getattr__
    monkeypatch.setattr(ConnectionProxy, "__getattr__",
                        lambda self, item: reads.append(item) or looked_up(self, item))
    for made in (hot_cursor, joined_cursor):
        with made(connection) as cursor:
            cursor.execute("SELECT %s", [1])
            assert cursor.fetchone() == (1,)
    assert reads == []


@pytest.mark.django_db
def test_a_filing_builds_its_new_rows_without_model_init(org, monkeypatch):
    """A filing builds the dossier, its papers, its steps and its access rows as their models'
    calls build them, without Model.__init__ (motcua/prepared.py `row_new`, issue #18); what
    it writes is what it wrote (dossiers/tests/test_filing_path.py compares the rows)."""
    from django.db.models import Model

    from dossiers.models import DossierAccess, DossierDocument, DossierStep

    _filed(org, accept=True)  # the worker's first filing: the models' specs kept
    built: list[type] = []
    real = Model.__init__

    def counted(self, *args, **kwargs):
        if kwargs:  # a new row (a read's row is built from positional values, from_db)
            built.append(type(self))
        real(self, *args, **kwargs)

    monkeypatch.setattr(Model, "__init__", counted)
    code = _filed(org, accept=True)
    monkeypatch.setattr(Model, "__init__", real)
    dossier = Dossier.objects.get(code=code)
    assert not {Dossier, DossierDocument, DossierStep, DossierAccess} & set(built)
    assert dossier.documents.count() >= 1 and dossier.steps.count() >= 2
    assert DossierAccess.objects.filter(dossier=dossier).count() >= 2


@pytest.mark.django_db
def test_related_set_sets_a_key_as_its_descriptor_does(org, monkeypatch):
    """`related_set` leaves the instance as `setattr` through the key's descriptor leaves it
    (the column, the cached related row), without the descriptor when nothing else is to do,
    and through it for None, a row without a database yet, or a row of another class."""
    from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor

    from motcua.prepared import related_set

    code = _filed(org, accept=True)
    ours, theirs = Dossier.objects.get(code=code), Dossier.objects.get(code=code)
    steps = list(DossierStep.objects.filter(dossier=ours).order_by("order"))
    theirs.current_step = steps[1]
    theirs.current_unit = org.dept
    seen = []
    real_set = ForwardManyToOneDescriptor.__set__

    def counted(self, instance, value):
        seen.append(self.field.name)
        real_set(self, instance, value)

    monkeypatch.setattr(ForwardManyToOneDescriptor, "__set__", counted)
    related_set(ours, "current_step", steps[1])
    related_set(ours, "current_unit", org.dept)
    assert seen == []
    for d in (ours, theirs):
        assert (d.current_step_id, d.current_unit_id) == (steps[1].pk, org.dept.pk)
        assert d._state.fields_cache["current_step"] is steps[1]
        assert d._state.fields_cache["current_unit"] is org.dept
    # None, and a row not saved (no database yet), go through the descriptor.
    related_set(ours, "current_step", None)
    assert (seen, ours.current_step_id, ours.current_step) == (["current_step"], None, None)
    new = DossierStep(dossier_id=ours.pk, order=9, name="x", role="specialist",
                      unit_id=org.dept.pk)
    assert new._state.db is None
    related_set(ours, "current_step", new)
    assert seen == ["current_step", "current_step"] and new._state.db == "default"
    with pytest.raises(ValueError):
        related_set(ours, "current_unit", steps[0])


@pytest.mark.django_db
def test_a_reads_related_rows_are_built_without_model_init(org, monkeypatch):
    """The token's user (select_related), read on every API request, is built as the read's
    own rows are (motcua/prepared.py `_DirectPopulator`), without Model.__init__, and is the
    user the ORM gives, linked to its token the same way."""
    from django.db.models import Model

    from accounts.models import ApiToken
    from accounts.tokens import _TOKEN_READ, token_digest, token_issue

    key = token_digest(token_issue(org.desk))
    _TOKEN_READ.rows(key)  # compiled
    built: list[type] = []
    real = Model.__init__

    def counted(self, *args, **kwargs):
        built.append(type(self))
        real(self, *args, **kwargs)

    monkeypatch.setattr(Model, "__init__", counted)
    (token,) = _TOKEN_READ.rows(key)
    monkeypatch.setattr(Model, "__init__", real)
    assert built == []
    expected = ApiToken.objects.select_related("user").get(digest=key)
    assert _values(token) == _values(expected)
    assert _values(token.user) == _values(expected.user)
    assert token._state.fields_cache["user"] is token.user
    assert (token.user._state.db, token.user._state.adding) == ("default", False)
