"""Querysets compiled once per process and run again with other values (issue #18).

Django compiles a queryset to SQL on every evaluation: on an action's hot path (the dossier's
lock statement with its annotations, its steps with their units and officers, its papers) the
compiling cost more CPU than the rest of the request's Python. A `Prepared` read is the same
queryset, built by a function from marker values, compiled the first time it runs on a
connection; later runs put the caller's values where the markers were and send the same SQL,
then build the instances exactly as the queryset would (field converters, `select_related`
instances, annotations). The statement is the one the queryset sends: nothing is written by hand.

Only for querysets whose SQL does not depend on anything but the marked values (no settings read
while building, no lists of varying length): the caller keys one `Prepared` per shape.
"""

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.mixins import FieldCacheMixin
from django.db.models.query import ModelIterable, _get_from_db, get_related_populators
from django.db.models.signals import post_init, pre_init
from django.utils.connection import ConnectionProxy

# psycopg keeps how it split a statement around its placeholders only for statements of at most
# 4,096 characters and 50 parameters; a filing's two joined writes (`writes_joined` below, about
# 120 and 130 parameters) were split again on every filing, about 0.4 ms of its CPU (issue #18).
# Their shapes are few (one per number of papers and steps), and the cache is psycopg's own,
# bounded to 128 statements whatever their size. dossiers/tests/test_writes_joined.py fails if
# psycopg stops reading these two limits.
try:
    from psycopg import _queries as _psycopg_queries
except ImportError:  # pragma: no cover - psycopg is a dependency; SQLite runs without it
    _psycopg_queries = None
else:
    _psycopg_queries.MAX_CACHED_STATEMENT_LENGTH = max(
        _psycopg_queries.MAX_CACHED_STATEMENT_LENGTH, 32_768)
    _psycopg_queries.MAX_CACHED_STATEMENT_PARAMS = max(
        _psycopg_queries.MAX_CACHED_STATEMENT_PARAMS, 1_000)

# Marker values a builder filters on: within a 32-bit integer's range (Django turns an
# out-of-range integer lookup into an empty query) and never an id or a code in use.
INT_MARKERS = (-1_987_654_301, -1_987_654_302, -1_987_654_303)
TEXT_MARKERS = ("\x1fmotcua-marker-1\x1f", "\x1fmotcua-marker-2\x1f", "\x1fmotcua-marker-3\x1f")


class _Compiled:
    def __init__(self, qs: QuerySet, markers: tuple) -> None:
        compiler = qs.query.get_compiler(using=qs.db)
        sql, params = compiler.as_sql()
        self.sql = sql
        self.params = list(params)
        # Where each marker's value goes in the parameters.
        self.slots = [
            [i for i, p in enumerate(self.params) if type(p) is type(m) and p == m] for m in markers
        ]
        if any(not slot for slot in self.slots):
            raise ValueError("Prepared: a marker is not a parameter of the compiled query")
        self.compiler = compiler
        select, klass_info = compiler.select, compiler.klass_info
        self.converters = compiler.get_converters([s[0] for s in select[0 : compiler.col_count]])
        self.db = qs.db
        # This read as another statement's JSON subquery (`Prepared.json_sql`), made once.
        self.json: tuple | None = None
        self.instances = issubclass(qs._iterable_class, ModelIterable)
        if not self.instances:
            return  # values_list(): the rows as tuples
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.model_range = (start, end)
        self.init_list = [f[0].target.attname for f in select[start:end]]
        model = klass_info["model"]
        self.from_db = _get_from_db(model, qs._fetch_mode)
        # The instances built as Model.from_db builds them, without its generic walk (`_built`):
        # when every concrete field is read, in the model's order, and the model may be built
        # directly (`direct_spec`: Django's own __init__ and from_db, no pre_init or post_init
        # receiver). Else Django's from_db, as before.
        self.model = model
        self.fetch_mode = qs._fetch_mode
        spec = direct_spec(model)
        self.direct = (spec is not None and spec.read_direct and self.init_list == spec.attnames)
        self.populators = [_populator(p) for p in
                           get_related_populators(klass_info, select, qs.db, qs._fetch_mode)]
        self.annotations = dict(compiler.annotation_col_map or {})


class Prepared:
    """A read built by `build(*markers)` (a queryset filtering on the markers given), compiled
    once per database connection's alias and vendor; `rows(*values)` runs it with `values` in the
    markers' places and returns the instances (the rows as tuples for a `values_list()`
    queryset)."""

    def __init__(self, build: Callable[..., QuerySet], *kinds: type) -> None:
        self._build = build
        self._markers = tuple(
            INT_MARKERS[i] if kind is int else TEXT_MARKERS[i] for i, kind in enumerate(kinds)
        )
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()

    def _get(self) -> _Compiled:
        qs = self._build(*self._markers)
        key = (qs.db, connections[qs.db].vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = _Compiled(qs, self._markers)
            with self._lock:
                self._compiled[key] = compiled
        return compiled

    def rows(self, *values: Any) -> list[Model]:
        c = self._compiled_for()
        params = list(c.params)
        for slot, value in zip(c.slots, values, strict=True):
            for i in slot:
                params[i] = value
        with hot_cursor(connections[c.db]) as cursor:
            cursor.execute(c.sql, params)
            fetched = cursor.fetchall()
        return _instances(c, fetched)

    def json_sql(self, outer: str) -> str | None:
        """This read as one correlated subquery of another statement (PostgreSQL): its rows as
        a JSON array of arrays, each the columns of one row in the read's order, in its
        ordering, with its one marker bound to the outer statement's column `outer` (SQL); None
        when the read does not take that shape (more than one value, a column whose type JSON
        does not carry back, over 100 columns). `rows_json` builds the instances from what it
        returns, as `rows` would from the read itself: a round trip fewer (issue #18)."""
        c = self._compiled_for()
        if c.json is None or c.json[1] != outer:
            c.json = _json_shape(c, outer)
        return c.json[0]

    def rows_json(self, arrays: list | None) -> list[Model]:
        """The instances `rows` returns, from the JSON arrays `json_sql`'s subquery read (None:
        no row): each value as the driver would give it (a moment, a date, a decimal from its
        text), then the same converters and building as `rows`."""
        if not arrays:
            return []
        c = self._compiled_for()
        loads = c.json[2]
        for row in arrays:
            for i, load in loads:
                value = row[i]
                if value is not None:
                    row[i] = load(value)
        return _instances(c, arrays)

    def _compiled_for(self) -> _Compiled:
        # The builder runs only to compile: the shape is the same for every call.
        if len(self._compiled) == 1:
            ((key, compiled),) = self._compiled.items()
            if key[0] == "default" and connections["default"].vendor == key[1]:
                return compiled
        return self._get()


def _instances(c: _Compiled, fetched) -> list:
    """The rows `fetched` of the compiled read `c` as its queryset gives them."""
    if c.converters:
        fetched = c.compiler.apply_converters(fetched, c.converters)
    if not c.instances:
        return [tuple(row) for row in fetched]
    start, end = c.model_range
    found = []
    for row in fetched:
        obj = (_built(c, row[start:end]) if c.direct
               else c.from_db(c.db, c.init_list, row[start:end]))
        for populator in c.populators:
            populator.populate(row, obj)
        for name, pos in c.annotations.items():
            setattr(obj, name, row[pos])
        found.append(obj)
    return found


# How a column's value comes back from JSON as the driver gives it (PostgreSQL's `to_json`):
# numbers, text and booleans as they are; a moment, a date, a time or a UUID as ISO text; a
# decimal and a JSON column are sent as text (`_JSON_AS_TEXT`): a JSON number would lose a
# decimal's scale ("50.00"), and a JSON column's own converter parses its text.
_JSON_PLAIN = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
    "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "PositiveBigIntegerField", "BooleanField", "CharField", "TextField", "SlugField",
    "EmailField", "URLField", "FileField", "ImageField", "FilePathField", "FloatField",
    "JSONField",
})
_JSON_AS_TEXT = frozenset({"DecimalField", "JSONField"})


def _json_load(internal: str, tz) -> Any:
    """The function turning a column's JSON value into the driver's value; None: as it is;
    False: a type this does not carry."""
    if internal == "DateTimeField":
        # As Django's loader of a moment: read in the session's zone, given the connection's.
        return lambda v: datetime.fromisoformat(v).replace(tzinfo=tz)
    if internal == "DateField":
        return date.fromisoformat
    if internal == "TimeField":
        return time.fromisoformat
    if internal == "DecimalField":
        return Decimal
    if internal == "UUIDField":
        return uuid.UUID
    return None if internal in _JSON_PLAIN else False


def _json_shape(c: _Compiled, outer: str) -> tuple:
    """(the subquery's SQL or None, `outer`, the columns' loads) for `Prepared.json_sql`."""
    none = (None, outer, [])
    connection = connections[c.db]
    compiler = c.compiler
    if connection.vendor != "postgresql" or len(c.params) != 1 or c.slots != [[0]]:
        return none
    plain, columns, loads = [], [], []
    for i, (col, _sql, alias) in enumerate(compiler.select):
        if alias is not None:
            return none
        field = col.output_field
        while field.is_relation:
            field = field.target_field
        internal = field.get_internal_type()
        load = _json_load(internal, connection.timezone)
        sql, params = compiler.compile(col)
        if load is False or params:
            return none
        plain.append(sql)
        columns.append(f"({sql})::text" if internal in _JSON_AS_TEXT else sql)
        if load is not None:
            loads.append((i, load))
    head = "SELECT " + ", ".join(plain)
    if len(columns) > 100 or not c.sql.startswith(head + " FROM ") or c.sql.count("%s") != 1:
        return none
    rest = c.sql[len(head):]
    body, _by, order = rest.partition(" ORDER BY ")
    if " ORDER BY " in order or " LIMIT " in rest or " OFFSET " in rest:
        return none
    ordered = f" ORDER BY {order}" if order else ""
    sql = (f"SELECT json_agg(json_build_array({', '.join(columns)}){ordered})"
           f"{body.replace('%s', outer)}")
    return sql, outer, loads


class _DirectPopulator:
    """Django's RelatedPopulator (a `select_related` row: the token's user, a step's officer)
    building its instance as `_built` builds the read's own, without Model.__init__'s walk over
    the fields and its two signals (issue #18: every API request reads its token with its user);
    the links set as Django sets them, a forward key's by its cache name read once."""

    def __init__(self, p, related: list) -> None:
        self.start, self.end, self.pk_idx = p.cols_start, p.cols_end, p.pk_idx
        self.model, self.db, self.init_list = p.model_cls, p.db, p.init_list
        self.fetch_mode = p.fetch_mode
        self.related = related
        self.remote_setter = p.remote_setter
        setter = p.local_setter
        field = getattr(setter, "__self__", None)
        self.cache_name = (field.cache_name if isinstance(field, FieldCacheMixin)
                           and setter.__func__ is FieldCacheMixin.set_cached_value else None)
        self.local_setter = setter

    def populate(self, row, from_obj) -> None:
        values = row[self.start:self.end]
        if values[self.pk_idx] is None:
            obj = None
        else:
            state = ModelState()
            state.adding = False
            state.db = self.db
            if self.fetch_mode is not None:
                state.fetch_mode = self.fetch_mode
            obj = instance_direct(self.model, state, zip(self.init_list, values, strict=True))
            for related in self.related:
                related.populate(row, obj)
        if self.cache_name is not None:
            from_obj._state.fields_cache[self.cache_name] = obj
        else:
            self.local_setter(from_obj, obj)
        if obj is not None:
            self.remote_setter(obj, from_obj)


def _populator(p):
    """`p` itself, or a `_DirectPopulator` doing what it does when its model may be built
    directly (`direct_spec`) from every concrete field in the model's order, its columns in one
    run, and no peers tracked."""
    spec = direct_spec(p.model_cls)
    related = [_populator(r) for r in p.related_populators]
    if (spec is None or not spec.read_direct or p.reorder_for_init is not None
            or p.init_list != spec.attnames
            or getattr(p.fetch_mode, "track_peers", False)):
        p.related_populators = related
        return p
    return _DirectPopulator(p, related)


def _built(c: _Compiled, values) -> Model:
    """The instance Model.from_db(c.db, c.init_list, values) returns, for a read of every
    concrete field (`_Compiled.direct`): its state (read, from `c.db`) and each value under
    its field's attname (`instance_direct`). A Model.__init__ walks the fields and sends two
    signals for each row: on an action's five reads, about a tenth of its Python (issue #18)."""
    state = ModelState()
    state.adding = False
    state.db = c.db
    if c.fetch_mode is not None:
        state.fetch_mode = c.fetch_mode
    return instance_direct(c.model, state, zip(c.init_list, values, strict=True))


# --- instances built without Model.__init__ -----------------------------------------------------

def instance_direct(model: type[Model], state: ModelState, values) -> Model:
    """An instance of `model` (one `direct_spec` accepts) with `state` and `values`, pairs of a
    concrete field's attname and its value, in its `__dict__` as Model.__init__ leaves them:
    a foreign key's or a file's descriptor stores the attname's value so, and a related
    instance is cached in the state's `fields_cache` (the caller puts it there). The one way
    this module builds instances, for a read's rows (`_built`) and new rows (`row_new`)."""
    obj = model.__new__(model)
    d = obj.__dict__
    d["_state"] = state
    d.update(values)
    return obj


class _DirectSpec:
    """What building a model's instances directly needs: its concrete fields' attnames in the
    model's order (a read must give every one, in that order); whether a read's rows may be
    built so (Django's own from_db); and for `row_new`, each field's name, attname, related
    model (a foreign key to its primary key) and default, or None when a relation of another
    kind needs the model's call (a one-to-one keeps a cache on the other side too)."""

    def __init__(self, model: type[Model]) -> None:
        from django.db.models import Field, ForeignKey, OneToOneField

        concrete = model._meta.concrete_fields
        self.attnames = [f.attname for f in concrete]
        self.read_direct = model.from_db.__func__ is Model.from_db.__func__
        self.new_fields: list[tuple] | None = []
        for field in concrete:
            relation = None
            if field.is_relation:
                if (type(field) is not ForeignKey or isinstance(field, OneToOneField)
                        or not field.target_field.primary_key):
                    self.new_fields = None
                    break
                relation = field.remote_field.model._meta.concrete_model
            # What Field.get_default calls (`_get_default`), taken once: a field's attributes
            # are slow to read in a running process (`_insert_fields`). A field with its own
            # get_default (a foreign key's) keeps it.
            default = (field._get_default if type(field).get_default is Field.get_default
                       else field.get_default)
            self.new_fields.append((field.name, field.attname, relation,
                                    relation and relation._meta.pk.attname, default))


_DIRECT: dict[type, Any] = {}


def direct_spec(model: type[Model]) -> _DirectSpec | None:
    """The model's spec, or None when its instances must be built by its own call: a model
    with its own `__init__`, or receivers of its pre_init or post_init (connected when the apps
    load, before any request: an ImageField's dimensions). Kept per model."""
    spec = _DIRECT.get(model, _MISSING)
    if spec is _MISSING:
        eligible = (model.__init__ is Model.__init__ and not model._meta.abstract
                    and not pre_init.has_listeners(model) and not post_init.has_listeners(model))
        spec = _DIRECT[model] = _DirectSpec(model) if eligible else None
    return spec


def row_new(model: type[Model], **values: Any) -> Model:
    """The instance `model(**values)` builds, for a new row given by its fields' names (a foreign
    key by its instance or None, or its attname): each value, and each field's default for the
    others, put in its `__dict__` as Model.__init__ puts them, a related instance cached as its
    descriptor caches it (`instance_direct`). Model.__init__ walks the fields through setattr
    and sends two signals for each instance: for the event, the two outbox messages and the
    stored result of an approval, about 5 % of its Python (issue #18). Names that are not
    concrete fields (a property) raise TypeError: call the model. Built by a function written
    once per model and names given (`_new_written`)."""
    key = (model, *values)
    build = _NEW.get(key)
    if build is None:
        spec = direct_spec(model)
        if spec is None or spec.new_fields is None:
            return model(**values)
        build = _NEW[key] = _new_written(model, spec, tuple(values)) or _new_walked
    return build(model, values)


# Each model's and names' function (`_new_written`), or `_new_walked` for names it does not take.
_NEW: dict[tuple, Callable[[type[Model], dict], Model]] = {}


def _new_walked(model: type[Model], values: dict) -> Model:
    """`row_new` walking the model's fields (`_DirectSpec.new_fields`) for the names given."""
    spec = direct_spec(model)
    state = ModelState()
    cache = state.fields_cache
    filled = []
    for name, attname, relation, related_pk, default in spec.new_fields:
        if name in values:
            value = values.pop(name)
            if relation is None:
                filled.append((attname, value))
                continue
            if value is None:
                filled.append((attname, None))
            else:
                filled.append((attname, _related_pk(model, name, relation, related_pk, value,
                                                    state)))
            cache[name] = value
        elif attname in values:
            filled.append((attname, values.pop(attname)))
        else:
            filled.append((attname, default()))
    if values:
        raise TypeError(f"row_new: {model.__name__} has no field {', '.join(values)}")
    return instance_direct(model, state, filled)


def _related_pk(model: type[Model], name: str, relation: type[Model], related_pk: str,
                value: Any, state: ModelState) -> Any:
    """The id a foreign key `name` set to the instance `value` takes, the databases set as its
    descriptor sets them (no database router: settings)."""
    if not isinstance(value, relation):
        raise ValueError(f"row_new: {model.__name__}.{name} must be a "
                         f"{relation.__name__} instance")
    if state.db is None:
        state.db = value._state.db or "default"
    if value._state.db is None:
        value._state.db = state.db
    return value.__dict__.get(related_pk)


def _new_written(model: type[Model], spec: _DirectSpec,
                 names: tuple[str, ...]) -> Callable[[type[Model], dict], Model] | None:
    """`_new_walked` for the names `names` as one Python function: which field each name fills,
    and which take their defaults, decided once, where the walk asked every field of the model
    on every row (issue #18: an action's event and outbox rows, twenty-odd fields each). None
    when a name is not one field's name or attname, or a field is named twice (the walk then
    raises as before)."""
    given = set(names)
    taken: set[str] = set()
    bound: dict[str, Any] = {"ModelState": ModelState, "_related_pk": _related_pk}
    body = ["    state = ModelState()", "    cache = state.fields_cache",
            "    obj = model.__new__(model)", "    d = obj.__dict__", "    d['_state'] = state"]
    for i, (name, attname, relation, related_pk, default) in enumerate(spec.new_fields):
        if name in given and attname in given and name != attname:
            return None
        if name in given:
            taken.add(name)
            if relation is None:
                body.append(f"    d[{attname!r}] = values[{name!r}]")
                continue
            bound[f"r{i}"] = relation
            body += [f"    v = values[{name!r}]",
                     f"    d[{attname!r}] = None if v is None else _related_pk("
                     f"model, {name!r}, r{i}, {related_pk!r}, v, state)",
                     f"    cache[{name!r}] = v"]
        elif attname in given:
            taken.add(attname)
            body.append(f"    d[{attname!r}] = values[{attname!r}]")
        else:
            bound[f"g{i}"] = default
            body.append(f"    d[{attname!r}] = g{i}()")
    if taken != given:
        return None
    body.append("    return obj")
    source = (f"def _bind({', '.join(bound)}):\n    def new(model, values):\n"
              + "\n".join("    " + line for line in body) + "\n    return new\n")
    made: dict[str, Any] = {}
    exec(compile(source, "<motcua.prepared row_new>", "exec"), {}, made)
    return made["_bind"](**bound)


# --- the statements prepared on the server (PostgreSQL) ------------------------------------------

# The connection's threshold while Django leaves it unset (None: psycopg prepares nothing, even
# when asked): a statement is prepared only when a hot cursor asks.
_ONLY_WHEN_ASKED = 1 << 30


def hot_cursor(connection):
    """A cursor for a statement whose text is the same on every call (the reads, inserts and
    updates of this module, the steps' update, the counters): on PostgreSQL, unless
    `MOTCUA_PREPARE_HOT_STATEMENTS` is off, it binds the values on the server and prepares the
    statement the first time a connection runs it, so PostgreSQL parses and plans it once per
    connection instead of on every action (issue #18: about 1.3 ms of the database's CPU a
    forward, 1.8 an approval). Every other statement keeps Django's client-side binding (a
    report's GROUP BY over an expression with parameters fails on the server's,
    docs/architecture.md). Logged as any statement is (the query budgets count it)."""
    return _server_binding_cursor(connection, prepared=True)


def joined_cursor(connection):
    """A cursor for a statement whose text varies (the joined writes, `writes_joined`; the
    approval's writes with its result, results/storing.py): on PostgreSQL, unless
    `MOTCUA_PREPARE_HOT_STATEMENTS` is off, it binds the values on the server and never
    prepares the statement. Bound on the client, psycopg quoted each of its hundred-odd values
    into the text in Python, one call a value: about a twentieth of an approval's instructions
    (issue #18; bench/actions_instructions.py); bound on the server it hands them over in one
    call. Logged as Django logs its own statements (the values in place)."""
    return _server_binding_cursor(connection, prepared=False)


def connection_itself(connection):
    """The connection `connection` names: `django.db.connection` is a proxy that looks the
    thread's connection up again (asgiref's context-local storage, five Python calls) on every
    attribute read; the one it names is read once (issue #18: six reads a cursor)."""
    if type(connection) is ConnectionProxy:
        return connections[DEFAULT_DB_ALIAS]
    return connection


def _server_binding_cursor(connection, *, prepared: bool):
    """Django's own cursor but on PostgreSQL with `MOTCUA_PREPARE_HOT_STATEMENTS` on; there, a
    cursor binding on the server that prepares what it runs (`prepared`) or never does."""
    connection = connection_itself(connection)
    if connection.vendor != "postgresql" or not settings.MOTCUA_PREPARE_HOT_STATEMENTS:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    pg = connection.connection
    if pg.prepare_threshold is None:
        # Django's client cursors never prepare (psycopg's ClientCursor), whatever the value.
        pg.prepare_threshold = _ONLY_WHEN_ASKED
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_preparing_cursor(prepared)(pg))


_BINDING: dict[bool, type] = {}


def _preparing_cursor(prepared: bool = True) -> type:
    cursor_class = _BINDING.get(prepared)
    if cursor_class is None:
        from django.db.backends.postgresql.base import ServerBindingCursor

        class PreparingCursor(ServerBindingCursor):
            """Binds on the server; prepares whatever it runs (psycopg's `prepare=True`), or,
            `prepared` false, never (`prepare=False`: a text seen once or twice)."""

            def execute(self, query, params=None, *, prepare=None, binary=None):
                done = super().execute(query, params, prepare=prepared, binary=binary)
                # psycopg keeps no query for a prepared execution, and Django's statement log
                # (DEBUG, the query budgets' tests) would then show it as `QUERY = … - PARAMS
                # = …`: shown instead with its values in place, as Django's own cursors show
                # theirs, composed only if the log asks (one statement per hot cursor). An
                # execution not prepared keeps how psycopg split its text: composed from that.
                self._query = _Shown(self, query, params, None if prepared else self._query)
                return done

        cursor_class = _BINDING[prepared] = PreparingCursor
    return cursor_class


class _Shown:
    """What Django's statement log reads of a prepared execution (`cursor._query.query`)."""

    def __init__(self, cursor, query, params, converted=None) -> None:
        self._cursor, self._sql, self._params = cursor, query, params
        self._converted = converted

    @property
    def query(self) -> bytes:
        from psycopg import ClientCursor
        from psycopg.adapt import Transformer

        client = ClientCursor(self._cursor.connection)
        parts = getattr(self._converted, "_parts", None)
        if parts and isinstance(parts[0].item, int) and isinstance(self._params, list | tuple):
            # The text between the placeholders as psycopg split it for the server, each value
            # quoted in its place: what mogrify gives, without splitting the text again (a
            # joined statement's is too long for psycopg to keep).
            literal = Transformer(client).as_literal
            chunks = []
            for part in parts[:-1]:
                value = self._params[part.item]
                chunks += [part.pre, b"NULL" if value is None else literal(value)]
            chunks.append(parts[-1].pre)
            return b"".join(chunks)
        return client.mogrify(self._sql, self._params).encode()


# --- writes: the statements Django's insert and update send, their SQL text built once --------

_SQL: dict[tuple, Any] = {}


def _quoted(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def rows_insert(objs: list[Model], *, using: str = "default", ids: bool = True,
                conflicts_ignored: bool = False) -> None:
    """Insert new instances of one model in one statement, as `bulk_create` does (each value
    prepared by its field, `auto_now_add` filled, the new ids set on the instances), with the
    statement's text built once per model, number of rows and vendor instead of compiled on every
    call. The instances either all carry their id (taken in advance) or none does.

    `ids=False`: the caller never reads the new rows' ids, so inside `writes_joined` the rows
    without one are inserted by a statement that returns nothing, joined to the others (their
    instances keep no id); elsewhere the ids are set as always.

    `conflicts_ignored`: a row that would break a unique constraint is left out (`ON CONFLICT
    DO NOTHING`, as `bulk_create(ignore_conflicts=True)`); the ids of rows without one are then
    not returned (which rows were inserted is not known), so the caller must not read them."""
    if not objs:
        return
    connection = connections[using]
    model = type(objs[0])
    meta = model._meta
    pk_attname, with_fields, without_fields = _insert_fields(model)
    with_pk = (objs[0].__dict__.get(pk_attname) if pk_attname else objs[0].pk) is not None
    # Held for the joined statement when it returns nothing: the ids are known, or unwanted.
    joined = statement_write_open(using) and (with_pk or not ids or conflicts_ignored)
    returning = not with_pk and not joined and not conflicts_ignored
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        model.objects.using(using).bulk_create(objs)
        return
    fields = with_fields if with_pk else without_fields
    key = ("insert", model, len(objs), with_pk, returning, conflicts_ignored, connection.vendor)
    sql = _SQL.get(key)
    if sql is None:
        sql = _insert_sql(connection, meta, fields, len(objs))
        if conflicts_ignored:
            # PostgreSQL and SQLite (3.24 and later) both read this clause.
            sql += " ON CONFLICT DO NOTHING"
        if returning:
            sql += f" RETURNING {_quoted(connection, meta.pk.column)}"
        _SQL[key] = sql
    params = _insert_params(objs, fields, connection)
    new_ids = None
    if joined:
        statement_write(sql, params, using=using)
    else:
        with hot_cursor(connection) as cursor:
            cursor.execute(sql, params)
            if returning:
                new_ids = cursor.fetchall()
    for i, obj in enumerate(objs):
        if new_ids is not None:
            obj.pk = new_ids[i][0]
        obj._state.adding = False
        obj._state.db = using


_INSERT_FIELDS: dict[type, tuple[str, list, list]] = {}


def _insert_fields(model: type[Model]) -> tuple[str | None, list, list]:
    """The model's primary key's attname (None for a composite key: the instance's `pk` then
    tells whether it is set), its concrete fields, and those but the primary key: read once a
    model. Django's fields answer every attribute read slowly in a running
    process: their class is changed by every field Django creates (`Field.creation_counter`),
    which wears out CPython's version tags for it at start-up and with them its attribute
    cache, so each read walks the class hierarchy (issue #18)."""
    found = _INSERT_FIELDS.get(model)
    if found is None:
        meta = model._meta
        fields = list(meta.concrete_fields)
        found = _INSERT_FIELDS[model] = (None if meta.is_composite_pk else meta.pk.attname,
                                         fields,
                                         [f for f in fields if not f.primary_key])
    return found


def _insert_sql(connection, meta, fields: list, rows: int) -> str:
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (
        f"INSERT INTO {_quoted(connection, meta.db_table)} "
        f"({', '.join(_quoted(connection, f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * rows)}"
    )


def _insert_params(objs: list[Model], fields: list, connection) -> list:
    plan, relations = _field_plan(fields, connection.vendor)
    if relations:
        for obj in objs:
            _related_ids(obj, relations)
    params = []
    for obj in objs:
        _field_values(obj, plan, True, connection, params)
    return params


def _field_values(obj: Model, plan: list, add: bool, connection, params: list) -> None:
    """Append to `params` each field's value of `obj` (`plan`: `_field_plan`'s, for the fields
    sent) as its field's preparation for a save gives it (`add`: an insert). A value already of
    the type its field stores (or None) is what that preparation would give: sent as it is,
    without its four calls (issue #18). A moment only when aware: a naive one is made aware by
    its field, with a warning. A text field's value of a `str` subclass (a choice's enum member:
    a state, a kind) is what `CharField.to_python` returns unchanged too. Done by the plan's
    function (`_values_written`), written once per plan."""
    found = _VALUES.get((id(plan), add))
    if found is None or found[0] is not plan:
        found = _VALUES[(id(plan), add)] = (plan, _values_written(plan, add))
    found[1](obj, connection, params)


# A plan's function (`_values_written`) by the plan's id and `add`, kept with the plan it was
# written for (the plans live as long as the process, `_PLANS`).
_VALUES: dict[tuple[int, bool], tuple[list, Callable]] = {}


def _values_written(plan: list, add: bool) -> Callable[[Model, Any, list], None]:
    """`_field_values` for `plan` as one Python function `(obj, connection, params)`: the loop
    over the plan's fields, its unpacking and its tests of each field's kind decided once, where
    an insert or an update of twenty-odd columns paid them on every value (issue #18: an
    action's event, outbox rows and dossier update; an approval's stored result too). Each
    value is the same expression the loop evaluated, in the fields' order (a field's `pre_save`
    may fill the instance: an `auto_now` moment)."""
    bound: dict[str, Any] = {"_MISSING": _MISSING, "datetime": datetime, "ADD": add}
    values = []
    for i, (field, attname, kind) in enumerate(plan):
        bound[f"f{i}"] = field
        by_field = f"f{i}.get_db_prep_save(f{i}.pre_save(obj, ADD), connection)"
        if kind is None:
            values.append(by_field)
            continue
        if kind is str:
            same = "isinstance(v, str)"
        elif kind is datetime:
            same = "(type(v) is datetime and v.tzinfo is not None)"
        else:
            bound[f"k{i}"] = kind
            same = f"type(v) is k{i}"
        values.append(f"(v if (v := get({attname!r}, _MISSING)) is None or {same} "
                      f"else {by_field})")
    names = ", ".join(bound)
    source = (f"def _bind({names}):\n"
              "    def values_of(obj, connection, params):\n"
              "        get = obj.__dict__.get\n"
              f"        params += ({''.join(v + ', ' for v in values)})\n"
              "    return values_of\n")
    made: dict[str, Any] = {}
    exec(compile(source, "<motcua.prepared field values>", "exec"), {}, made)
    return made["_bind"](**bound)


_PLANS: dict[tuple, tuple[list, list]] = {}


def field_plan(fields: list, vendor: str) -> list[tuple]:
    """Each of `fields` (a model's) with its attname and `plain_type`, read once
    (`_field_plan`): for a statement's values written out by its caller (the steps' update)."""
    return _field_plan(fields, vendor)[0]


def _field_plan(fields: list, vendor: str) -> tuple[list, list]:
    """For `fields` (a model's), read once (their attributes are slow to read, `_insert_fields`):
    each field with its attname and `plain_type`, and the foreign keys among them with their
    attname and the name their related row is cached under (`_related_ids`). Keyed by the
    fields' ids, as `plain_types` is."""
    key = (vendor, *map(id, fields))
    found = _PLANS.get(key)
    if found is None:
        kinds = plain_types(fields, vendor)
        found = _PLANS[key] = (
            [(f, f.attname, kind) for f, kind in zip(fields, kinds, strict=True)],
            [(f, f.attname, f.cache_name) for f in fields if f.is_relation])
    return found


def row_params(obj: Model, fields: list, connection) -> list:
    """The values of `fields` of a saved instance `obj` as an `update_fields` save sends them:
    for a statement of its own that updates the row (results/storing.py)."""
    params: list = []
    _field_values(obj, _field_plan(fields, connection.vendor)[0], False, connection, params)
    return params


def row_values(obj: Model, fields: list, connection) -> list:
    """The values of `fields` of a new instance `obj` as its insert sends them (`rows_insert`'s
    preparation): for a statement of its own that inserts the row (results/storing.py)."""
    return _insert_params([obj], fields, connection)


_MISSING = object()
_PLAIN: dict[tuple, list] = {}


def plain_types(fields: list, vendor: str) -> list:
    """For each field of `fields` (a model's), the Python type whose values its
    preparation for the database returns unchanged (text, integer and boolean fields, foreign
    keys to integer ids, and on PostgreSQL aware moments, which its adapter sends as they are;
    none of them filled on save), or None: the field prepares every value. Keyed by the
    fields' ids: a field's own hash is a Python call, and a tuple of twenty of them cost more
    than the calls spared (the fields are the models', alive as long as the process)."""
    key = (vendor, *map(id, fields))
    kinds = _PLAIN.get(key)
    if kinds is None:
        kinds = _PLAIN[key] = [plain_type(f, vendor) for f in fields]
    return kinds


def plain_type(field, vendor: str) -> type | None:
    from django.db.models import fields as f

    target = field.target_field if field.is_relation else field
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return None
    if type(target) is f.DateTimeField and not field.is_relation and vendor == "postgresql":
        return datetime
    # PostgreSQL stores a date and a UUID as psycopg adapts them: the fields' preparation gives
    # the value back unchanged (`adapt_datefield_value`, a native UUID column).
    if type(target) is f.DateField and not field.is_relation and vendor == "postgresql":
        return date
    if type(target) is f.UUIDField and not field.is_relation and vendor == "postgresql":
        return uuid.UUID
    if type(target) in (f.CharField, f.TextField, f.SlugField) and not field.is_relation:
        return str
    if type(target) in (f.IntegerField, f.BigIntegerField, f.SmallIntegerField,
                        f.PositiveIntegerField, f.PositiveSmallIntegerField,
                        f.PositiveBigIntegerField, f.AutoField, f.BigAutoField):
        return int
    if type(target) is f.BooleanField:
        return bool
    return None


def _related_ids(obj: Model, relations: list) -> None:
    """A foreign key set to an instance saved after it was set (a dossier's events built before
    the dossier's id was known) takes that instance's id, as Model.save and bulk_create do.
    (`relations`: `_field_plan`'s; the values read as the descriptors read them, from the
    instance's dict and its state's cache of related rows.)"""
    values, cached = obj.__dict__, obj._state.fields_cache
    for field, attname, cache_name in relations:
        if values.get(attname) is None and cache_name in cached:
            related = cached[cache_name]
            if related is not None:
                if related.pk is None:
                    raise ValueError(f"rows_insert: {field.name} is not saved")
                setattr(obj, field.name, related)


def row_update(obj: Model, fields: list[str], *, using: str = "default") -> None:
    """`UPDATE … SET` the named fields (and the model's `auto_now` ones) of a saved instance,
    each value prepared by its field, the statement's text built once per model and field list.
    Sends no signal, as `QuerySet.update` does not. Inside `writes_joined` it is held, joined to
    the block's other writes (an action's dossier row, issue #18)."""
    connection = connections[using]
    meta = type(obj)._meta
    key = ("update", type(obj), tuple(fields), connection.vendor)
    entry = _SQL.get(key)
    if entry is None:
        chosen = [meta.get_field(name) for name in fields]
        chosen += [
            f for f in meta.concrete_fields if getattr(f, "auto_now", False) and f not in chosen
        ]
        sets = ", ".join(f"{_quoted(connection, f.column)} = %s" for f in chosen)
        entry = _SQL[key] = (
            f"UPDATE {_quoted(connection, meta.db_table)} SET {sets} "
            f"WHERE {_quoted(connection, meta.pk.column)} = %s",
            chosen,
        )
    sql, chosen = entry
    params = row_params(obj, chosen, connection)
    params.append(meta.pk.get_db_prep_value(obj.pk, connection))
    if statement_write(sql, params, using=using):
        return
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, params)


_LINKS: dict[tuple, tuple] = {}


def related_set(instance: Model, name: str, value: Model | None) -> None:
    """`setattr(instance, name, value)` for the foreign key `name`, done as its descriptor does
    it when nothing but that is to do: the key's column given the related row's id and the row
    cached (`fields_cache`). Django's field classes miss CPython's attribute cache in a running
    process (`_insert_fields`), and the descriptor reads a dozen of their attributes; an action
    sets half a dozen keys (issue #18). Anything else — None, a row of another class (a
    subclass), one without its database yet (the descriptor gives it one), two databases, a
    one-to-one or a key to another column than the id — goes through the descriptor."""
    model = type(instance)
    link = _LINKS.get((model, name))
    if link is None:
        field = model._meta.get_field(name)
        target = field.related_model
        plain = (field.many_to_one and field.remote_field.multiple
                 and len(field.related_fields) == 1
                 and field.related_fields[0][1] is target._meta.pk
                 and not target._meta.is_composite_pk)
        link = _LINKS[(model, name)] = (
            plain, field.attname, field.cache_name, target, target._meta.pk.attname)
    plain, attname, cache_name, target, target_pk = link
    db = instance._state.db
    if (not plain or value is None or type(value) is not target or db is None
            or value._state.db != db):
        setattr(instance, name, value)
        return
    instance.__dict__[attname] = value.__dict__[target_pk]
    instance._state.fields_cache[cache_name] = value


def related_rows(instance: Model, name: str) -> list | QuerySet:
    """What `getattr(instance, name).all()` iterates: the rows `instance` holds of the relation
    (`related_hold`, prefetch_related), else its queryset. Reading the held list itself spares
    the related manager Django builds on every access and the queryset it clones to reach the
    list (an action read its steps, papers and pauses that way about ten times, issue #18).
    Iterate it, never change it: it is the held list."""
    rows = held_rows(instance, name)
    return rows if rows is not None else getattr(instance, name).all()


def held_rows(instance: Model, name: str) -> list | None:
    """The rows `instance` holds of its relation `name` (`related_hold`, prefetch_related), or
    None when it holds none (the relation is then read through its manager). A list
    `related_hold` recorded is read as it is, never turned into its queryset (`HeldLists`)."""
    held = instance.__dict__.get("_prefetched_objects_cache")
    if held is not None:
        value = dict.get(held, name)
        if type(value) is _HeldRows:
            return value.rows
        if value is not None and value._result_cache is not None:
            return value._result_cache
    return None


def related_hold(instance: Model, name: str, rows: list) -> None:
    """Record `rows` as `instance`'s loaded related rows `name`, as prefetch_related does: what
    was just written or read by a prepared statement is not read again. The queryset Django's
    related manager finds there is built only when something asks for it (`HeldLists`): the
    project's readers take the list itself (`held_rows`), and building the manager and its
    filtered queryset cost about 100,000 instructions a relation, three an action (issue #18)."""
    if instance.pk is None:
        # The relation cannot be used yet: the manager says so now, as it always did.
        getattr(instance, name).all()
    held = instance.__dict__.get("_prefetched_objects_cache")
    if type(held) is not HeldLists:
        held = HeldLists(held or ())
        held.instance = instance
        instance.__dict__["_prefetched_objects_cache"] = held
    dict.__setitem__(held, name, _HeldRows(list(rows)))


class _HeldRows:
    """A list `related_hold` recorded, not asked for as a queryset yet."""

    __slots__ = ("rows",)

    def __init__(self, rows: list) -> None:
        self.rows = rows


class HeldLists(dict):
    """An instance's `_prefetched_objects_cache` (name -> the relation's queryset holding its
    rows, as prefetch_related leaves it) where a list `related_hold` recorded stays a list
    until code asks the dict for it: Django's related manager (`[name]`), prefetch_related
    (`get`), a `pop` or the values then get the queryset the manager's `all()` builds — the
    relation's filter, the instance as the rows' known related object — with that very list as
    its result, as `related_hold` built it before. `name in …`, `held_rows` and
    `dossiers.selectors._details_held` need no queryset."""

    __slots__ = ("instance",)

    def __getitem__(self, name: str) -> Any:
        value = dict.__getitem__(self, name)
        return self._queryset(name, value) if type(value) is _HeldRows else value

    def get(self, name: str, default: Any = None) -> Any:
        value = dict.get(self, name, _MISSING)
        if value is _MISSING:
            return default
        return self._queryset(name, value) if type(value) is _HeldRows else value

    def pop(self, name: str, *default: Any) -> Any:
        value = dict.pop(self, name, *default)
        return self._made(name, value) if type(value) is _HeldRows else value

    def values(self):
        return [self[name] for name in list(dict.keys(self))]

    def items(self):
        return [(name, self[name]) for name in list(dict.keys(self))]

    def copy(self) -> "HeldLists":
        mine = HeldLists(dict.items(self))
        mine.instance = self.instance
        return mine

    def _queryset(self, name: str, held: _HeldRows) -> QuerySet:
        # The manager looks in this dict first: the entry out, it builds the relation's own.
        dict.__delitem__(self, name)
        try:
            qs = self._made(name, held)
        except BaseException:
            dict.__setitem__(self, name, held)
            raise
        dict.__setitem__(self, name, qs)
        return qs

    def _made(self, name: str, held: _HeldRows) -> QuerySet:
        qs = getattr(self.instance, name).all()
        qs._result_cache = held.rows
        qs._prefetch_done = True
        return qs


# --- writes joined into one statement (PostgreSQL) ---------------------------------------------

_joined = threading.local()


@contextmanager
def writes_joined(*, using: str = "default", commit: bool = False) -> Iterator[None]:
    """Inside the block, the writes that return nothing (`rows_insert` of rows whose ids are
    taken in advance, `statement_write`) are held and sent together as one statement, each a
    data-modifying `WITH` of the last (PostgreSQL), when the block ends or just before any other
    statement runs on the connection (so a read inside the block sees them, and the order of the
    statements is kept). Elsewhere (SQLite, which has no data-modifying `WITH`) they run at once.

    One round trip instead of one a table: the filing's papers, steps, access rows and events,
    then its dossier row, outbox rows and service-index counters (issue #18): fewer statements
    for the database to parse and plan, and the hot counter rows held locked for fewer round
    trips before the commit. A block whose body raises sends nothing: its transaction rolls back.

    `commit`: the caller's transaction ends with this block (nothing runs between its end and
    the end of the `atomic` block around it). When that `atomic` block is the outermost one,
    the held writes and the COMMIT go in one round trip (`joined_send`): the hot rows they lock
    (a unit's code or number counter, the service-index counters) are then held for the
    database's own work only, never for a trip back to Python and another to commit.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or getattr(_joined, "queue", None) is not None:
        yield
        return
    queue: list[tuple[str, list]] = []

    def first_the_held(execute, sql, params, many, context):
        if ((queue or _joined.head is not None or _joined.returning is not None)
                and not getattr(_joined, "kept", False)):
            _joined_send(connection, queue)
        if _joined.resolved and params:
            # A value taken by a statement sent already (`value_taken_last`), in its place.
            params = ([_swapped(p, _joined.resolved) for p in params] if many
                      else _swapped(params, _joined.resolved))
        return execute(sql, params, many, context)

    _joined.queue, _joined.using, _joined.head, _joined.resolved = queue, using, None, []
    _joined.returning = None
    # The values taken by the previous block and not asked for are dropped (one block's at most).
    _joined.taken = {}
    try:
        with connection.execute_wrapper(first_the_held):
            yield
            _joined.queue = None
            if queue or _joined.head is not None or _joined.returning is not None:
                _joined_send(connection, queue, commit=commit)
    finally:
        _joined.queue = _joined.head = _joined.returning = None
        _joined.resolved = []


@contextmanager
def held_writes_kept() -> Iterator[None]:
    """Inside, a statement runs before the writes the `writes_joined` block holds, which stay
    held: only for a read those writes cannot change (rows of tables they do not write: an
    approval's draft versions and signature block, results/services.py), so that the writes
    can join a later statement (`held_writes_take`)."""
    before = getattr(_joined, "kept", False)
    _joined.kept = True
    try:
        yield
    finally:
        _joined.kept = before


def held_first(held: list[str], sql: str) -> str:
    """`sql` (a write returning a row, plain or a `WITH`) with the held writes `held` at its head,
    each a data-modifying WITH (h0, h1…): one statement, one round trip. Nothing reads the held
    writes, so PostgreSQL runs them after the main statement; since the approval's result number
    moved after its commit (results/numbering.py) no statement joined here takes a row that
    others queue on, so their order within the statement no longer matters (issue #18)."""
    key = (sql, *held)
    found = _HELD_FIRST.get(key)
    if found is not None:
        # The same texts on every action of a kind (their values are parameters): joined once.
        return found
    found = sql
    if held:
        heads = ", ".join(f"h{i} AS ({s})" for i, s in enumerate(held))
        found = (f"WITH {heads}, " + sql.removeprefix("WITH ") if sql.startswith("WITH ")
                 else f"WITH {heads} {sql}")
    if len(_HELD_FIRST) > 256:
        _HELD_FIRST.clear()
    _HELD_FIRST[key] = found
    return found


_HELD_FIRST: dict[tuple, str] = {}


def held_writes_take(using: str = "default") -> list[tuple[str, list]]:
    """The writes the `writes_joined` block running on `using` holds, taken off it (none
    outside one): the caller sends them at the head of its own statement, each a data-modifying
    WITH, in the order held (results/storing.py: the approval's writes and its stored result in
    one round trip)."""
    queue = getattr(_joined, "queue", None)
    if not queue or _joined.using != using:
        return []
    if _joined.head is not None or _joined.returning is not None:
        # A value to take first (`value_taken_last`), or a write returning a row: the held
        # writes go with it, as they are.
        _joined_send(connections[using], queue)
        return []
    held = list(queue)
    queue.clear()
    return held


def statement_write_open(using: str = "default") -> bool:
    """Whether a `writes_joined` block is holding the writes on `using`."""
    return getattr(_joined, "queue", None) is not None and _joined.using == using


def statement_write(sql: str, params: list, *, using: str = "default") -> bool:
    """Hold a write that returns nothing for the `writes_joined` block running on `using`;
    False when there is none (the caller runs it)."""
    queue = getattr(_joined, "queue", None)
    if queue is None or _joined.using != using:
        return False
    queue.append((sql, params))
    return True


def statement_write_returning(sql: str, params: list, on_row: Callable[[tuple], None], *,
                              using: str = "default") -> bool:
    """Hold a write that returns one row for the `writes_joined` block running on `using`: it is
    sent as the main statement of the block's next statement, the writes held before and after
    it its WITHs (named h0, h1…, heading its own when it has some), and `on_row` gets its row
    then. The approval's storing of its result (results/storing.py), whose statement takes the
    unit's yearly number: held so, it is the action's last statement, sent with the COMMIT
    (`writes_joined(commit=True)`) — the counter's row is not held for the rest of the
    consumers, a round trip back and another to commit (issue #18). False when no block is
    open or one value or row is awaited already: the caller runs it."""
    if (not statement_write_open(using) or _joined.head is not None
            or _joined.returning is not None):
        return False
    _joined.returning = (sql, list(params), on_row)
    return True


def value_taken_last(sql: str, params: list, *, using: str = "default") -> str | None:
    """Hold `sql`, a write returning one text column named `value` (a counter's upsert giving
    the next number), to head the statement the `writes_joined` block on `using` sends next;
    returns a token standing for the value until then (None outside a block: the caller runs
    it). The held writes use the token as the value: wherever one of their parameters (a text,
    or a string inside a JSON one) holds it, the statement puts the value in its place, read
    from the head's `RETURNING` — so the counter's row is locked by the statement that writes
    the rows needing its number, with nothing of Python's between the two, and, with
    `commit`, with the COMMIT in the same round trip (issue #18: a unit's daily dossier code,
    dossiers/codes.py). `value_taken(token)` gives the value once sent. One per block; the
    statements after the send get the value itself in the token's place."""
    if (not statement_write_open(using) or _joined.head is not None
            or _joined.returning is not None):
        return None
    token = f"~taken-{uuid.uuid4().hex}~"
    _joined.head = (sql, list(params), token)
    return token


def value_taken(token: str) -> str:
    """The value `value_taken_last` stood `token` for, once its statement was sent (the block
    has ended, or a later statement ran)."""
    for held, value in getattr(_joined, "resolved", None) or ():
        if held == token:
            return value
    found = getattr(_joined, "taken", {}).pop(token, None)
    if found is None:
        raise LookupError("value_taken: the statement taking the value was not sent")
    return found


def _holds(value: Any, token: str) -> bool:
    if isinstance(value, str):
        return token in value
    if isinstance(value, dict):
        return any(_holds(v, token) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds(v, token) for v in value)
    return False


def _replaced(value: Any, pairs: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        for token, taken in pairs:
            value = value.replace(token, taken)
        return value
    if isinstance(value, dict):
        return {k: _replaced(v, pairs) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, pairs) for v in value]
    if isinstance(value, tuple):
        return tuple(_replaced(v, pairs) for v in value)
    return value


def _swapped(params: Any, pairs: list[tuple[str, str]]) -> Any:
    """`params` with each token of `pairs` replaced by its value (texts and JSON values)."""
    from psycopg.types.json import _JsonWrapper

    if isinstance(params, dict):
        return {k: _swapped([v], pairs)[0] for k, v in params.items()}
    out = []
    for p in params:
        if isinstance(p, str) or isinstance(p, _JsonWrapper) and any(
                _holds(p.obj, t) for t, _ in pairs):
            if isinstance(p, str):
                p = _replaced(p, pairs)
            else:
                p = type(p)(_replaced(p.obj, pairs), p.dumps)
        out.append(p)
    return out


def _in_sql(sql: str, params: list, token: str) -> tuple[str, list, bool]:
    """`sql` with each parameter holding `token` replaced in the statement by the value the
    head (`taken`) returns: `replace(<text>, <token>, value)`, and for JSON through its text
    (`taken_json`: the value as written inside a JSON string). Also whether JSON was met."""
    from psycopg.types.json import Jsonb, _JsonWrapper

    marked = [isinstance(p, str) and token in p
              or isinstance(p, _JsonWrapper) and _holds(p.obj, token) for p in params]
    if not any(marked):
        return sql, params, False
    out = []
    for p, mark in zip(params, marked, strict=True):
        out += (p, token) if mark else (p,)
    key = (sql, tuple(marked))
    found = _IN_SQL.get(key)
    if found is None:
        # The text depends on the statement and on which of its values hold the token only:
        # built once per shape (a filing's is the same every time), as psycopg then parses it.
        pieces = sql.split("%s")
        if len(pieces) != len(params) + 1 or "%%" in sql:
            raise ValueError("value_taken_last: a held write's placeholders are not plain %s")
        text, json_met = [pieces[0]], False
        for p, mark, piece in zip(params, marked, pieces[1:], strict=True):
            if not mark:
                text.append("%s")
            elif isinstance(p, str):
                text.append("replace(%s, %s, (SELECT value FROM taken))")
            else:
                cast = "jsonb" if isinstance(p, Jsonb) else "json"
                text.append(f"replace(%s::text, %s, (SELECT value FROM taken_json))::{cast}")
                json_met = True
            text.append(piece)
        if len(_IN_SQL) > 256:
            _IN_SQL.clear()
        found = _IN_SQL[key] = ("".join(text), json_met)
    return found[0], out, found[1]


_IN_SQL: dict[tuple, tuple[str, bool]] = {}


def _joined_send(connection, queue: list[tuple[str, list]], *, commit: bool = False) -> None:
    held = list(queue)
    queue.clear()
    if _joined.resolved:
        held = [(s, _swapped(ps, _joined.resolved)) for s, ps in held]
    returning, _joined.returning = _joined.returning, None
    if returning is not None:
        sql, params, on_row = returning
        sql = held_first([s for s, _ in held], sql)
        params = [p for _, ps in held for p in ps] + params
        on_row(joined_send(connection, sql, params, commit=commit, returning=True))
        return
    head, _joined.head = _joined.head, None
    if head is not None:
        # The value's statement first, every held write a WITH after it, the value returned.
        head_sql, params, token = head
        parts, json_met = [f"taken AS ({head_sql})"], False
        for i, (s, ps) in enumerate(held):
            s, ps, json_here = _in_sql(s, ps, token)
            json_met |= json_here
            parts.append(f"w{i} AS ({s})")
            params += ps
        if json_met:
            parts.insert(1, "taken_json AS (SELECT substr(j, 2, length(j) - 2) AS value FROM "
                            "(SELECT to_jsonb(value)::text AS j FROM taken) AS t)")
        value = joined_send(connection, "WITH " + ", ".join(parts) + " SELECT value FROM taken",
                            params, commit=commit, returning=True)[0]
        _joined.resolved.append((token, value))
        _joined.taken[token] = value
        return
    *first, (last, params) = held
    sql = last
    if first:
        # Each held statement a data-modifying WITH of the last; all of them run to completion
        # whether the main statement reads them or not (PostgreSQL's documented rule).
        sql = "WITH " + ", ".join(f"w{i} AS ({s})" for i, (s, _) in enumerate(first)) + " " + last
        params = [p for _, ps in first for p in ps] + list(params)
    joined_send(connection, sql, params, commit=commit)


def transaction_ends_here(connection) -> bool:
    """Whether the `atomic` block running on `connection` is the outermost and only one (no
    savepoint inside it, nothing marked for rollback): its end is the transaction's COMMIT. Not
    so inside another transaction (a test's, a batch job's): that one commits, later."""
    connection = connection_itself(connection)
    return (connection.vendor == "postgresql" and connection.in_atomic_block
            and len(connection.atomic_blocks) == 1 and not connection.savepoint_ids
            and not connection.needs_rollback)


def joined_send(connection, sql: str, params: list, *, commit: bool = False,
                returning: bool = False) -> tuple | None:
    """Run a joined write (`joined_cursor`); its first row with `returning`. `commit`: it is
    the transaction's last statement, and when the transaction ends with the caller's `atomic`
    block (`transaction_ends_here`) the COMMIT is sent with it, in one round trip (psycopg's
    pipeline mode): the rows the statement locks — a unit's daily code counter, its yearly
    result numbers, the service-index counters, which every filing or approval of the unit
    takes — are held for the database's work only, not for a trip back to Python and a second
    one to commit (issue #18: the filing's code counter was waited on in 1,527 of 1,570
    samples). A failing statement skips the COMMIT (the pipeline stops at the error) and
    raises: the `atomic` block rolls back. Django's own COMMIT at the block's end then finds
    no transaction open and sends nothing (psycopg's `commit` on an idle connection); its
    `on_commit` callbacks run as usual."""
    connection = connection_itself(connection)
    ends = commit and transaction_ends_here(connection)
    with joined_cursor(connection) as cursor:
        if not ends:
            cursor.execute(sql, params)
            return cursor.fetchone() if returning else None
        pg = connection.connection
        with connection.wrap_database_errors, pg.pipeline():
            cursor.execute(sql, params)
            pg.commit()
        return cursor.fetchone() if returning else None
