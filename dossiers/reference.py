"""The reference data a filing reads, cached per worker behind a version check.

A filing reads its procedure's case (variant) with the procedure, its field and competent unit,
its papers, time limits, steps (with their units) and fees, and the receiving unit's working
calendar. They change a few times a year and are read on every filing, so each worker process
keeps them in memory and checks, with one small statement per filing, that they are still
current (docs/architecture.md, "The filing path"):

- `ReferenceVersion.number` moves whenever a catalogue row (procedure, field, case, paper, time
  limit, fee, step) or a unit is saved or deleted through the ORM — the admin, the services, the
  demo loader — by the receivers connected in dossiers/apps.py;
- max(Procedure.updated_at) moves when the importer bulk-creates new procedure versions (a bulk
  insert sends no signal);
- the CalendarDay table's row count and max(updated_at) move with any change of the calendar
  (dossiers/calendar.py reads the same fingerprint).

A queryset .update() or a raw SQL change sends no signal and is not seen until one of them moves;
the admin, the importer and the migrations never change reference rows that way.
"""

import threading
from collections.abc import Callable
from datetime import UTC, date
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, IntegerField, Prefetch
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalog.models import Step, Variant
from catalog.selectors import variant_in_force
from dossiers.calendar import calendar_version
from dossiers.models import CalendarDay, ReferenceVersion

_lock = threading.Lock()
_variants: dict[int, tuple[tuple, Variant | None]] = {}


def _version_parts() -> tuple[str, str, str, str]:
    """The four scalar subqueries of the version check: catalogue number, max(Procedure
    .updated_at), CalendarDay's count and max(updated_at)."""
    from catalog.models import Procedure

    q = connection.ops.quote_name
    return (f"SELECT number FROM {q(ReferenceVersion._meta.db_table)} WHERE id = 1",
            f"SELECT MAX(updated_at) FROM {q(Procedure._meta.db_table)}",
            f"SELECT COUNT(*) FROM {q(CalendarDay._meta.db_table)}",
            f"SELECT MAX(updated_at) FROM {q(CalendarDay._meta.db_table)}")


def _stamp(value: Any) -> str | None:
    """A max(updated_at) as one text whichever way it was read (raw SQL under SQLite gives text,
    the ORM an aware datetime), so that both reads name the same catalogue version."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.isoformat()


def _versions(number: Any, procedures: Any, days: Any, last_day: Any) -> tuple[tuple, tuple]:
    return (number, _stamp(procedures)), calendar_version(days, last_day)


# The version check's text (with or without the roles' read) by vendor: built once per worker,
# since it depends on nothing a request carries (issue #18: it was quoted and the roles' RawSQL
# compiled on every filing). The user's id is the roles' read's first parameter, the rest fixed.
_VERSION_STATEMENTS: dict[tuple[str, bool], tuple[str, tuple]] = {}


def _version_statement(roles: bool) -> tuple[str, tuple]:
    """The version check's SQL and, with `roles`, the roles' read's parameters after the user's
    id (accounts.selectors.user_roles_read), built on the first call of this worker."""
    key = (connection.vendor, roles)
    built = _VERSION_STATEMENTS.get(key)
    if built is None:
        from accounts.selectors import user_roles_read

        parts = [f"({part})" for part in _version_parts()]
        fixed: tuple = ()
        if roles:
            # The read compiled for a stand-in id: its text does not depend on the id.
            sql, role_params = user_roles_read(0).as_sql(None, connection)
            parts.append(f"({sql})")
            assert role_params[0] == 0, "the user's id is the roles' read's first parameter"
            fixed = tuple(role_params[1:])
        built = _VERSION_STATEMENTS[key] = ("SELECT " + ", ".join(parts), fixed)
    return built


def reference_version(user: Any = None) -> tuple[tuple, tuple]:
    """(catalogue version, calendar version) in one statement; with `user` (a user whose roles
    this request has not read yet) their roles are read by the same statement and cached on them
    (accounts.selectors.user_roles_read), so that a filing spends no statement on them."""
    from accounts.selectors import user_roles_cached, user_roles_known

    roles = (user is not None and getattr(user, "is_authenticated", False)
             and not user_roles_cached(user))
    sql, fixed = _version_statement(roles)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *fixed] if roles else [])
        row = cursor.fetchone()
    if roles:
        user_roles_known(user, row[4])
    return _versions(*row[:4])


# The names under which `reference_version_reads` annotates a row.
_VERSION_NAMES = ("ref_number", "ref_procedures", "ref_days", "ref_last_day")


def reference_version_reads() -> dict[str, RawSQL]:
    """The version check as annotations of another statement (an action's lock statement,
    dossiers/services/transitions.py), so that it costs no statement of its own."""
    fields = (IntegerField(), DateTimeField(), IntegerField(), DateTimeField())
    return {name: RawSQL(sql, (), output_field=field)
            for name, sql, field in zip(_VERSION_NAMES, _version_parts(), fields, strict=True)}


# The catalogue version an action's lock statement read, kept on the dossier for the event
# consumers of the same transaction (results caches the signature blocks under it) and taken off
# by the one that uses it, so a second read of the same number is not needed.
CATALOGUE_VERSION_SEEN = "catalogue_version_seen"


def reference_version_of(row: Any) -> tuple[tuple, tuple] | None:
    """The versions a row annotated by `reference_version_reads` carries (taken off it, so that
    an instance kept after its transaction never answers from a stale one); None if it carries
    none."""
    if _VERSION_NAMES[0] not in row.__dict__:
        return None
    return _versions(*(row.__dict__.pop(name) for name in _VERSION_NAMES))


def _load(variant_id: int) -> Variant | None:
    # The competent unit and the steps' units with their parents: a filing's planned steps
    # point at these units (dossiers/services/planning.py), and its answer holds all that the
    # dossier's details load (a step's unit with its parent, dossiers.selectors.detail_lists)
    # only if they carry it; without it every filing walked prefetch_related_objects over its
    # relations, reading nothing (issue #18).
    return (Variant.objects.select_related("procedure__competent_unit__parent",
                                           "procedure__field")
            .prefetch_related("documents", "time_limits", "fees",
                              Prefetch("steps", queryset=Step.objects.select_related(
                                  "unit__parent")))
            .filter(pk=variant_id).first())


def filing_reference(variant_id: int, user: Any = None) -> tuple[Variant | None, tuple]:
    """The case `variant_id` with everything a filing reads of it loaded (None if it does not
    exist), and the versions read (catalogue, calendar: the second to give
    `calendar_for_unit`); one statement when cached, which reads `user`'s roles too.

    The instances are shared by the requests of this worker: read them, never change them.
    """
    catalogue, calendar = reference_version(user)
    return reference_variant(variant_id, catalogue), (catalogue, calendar)


def reference_variant(variant_id: int, catalogue: tuple) -> Variant | None:
    """The case `variant_id` as `filing_reference` gives it, under the catalogue version
    `catalogue` read by the caller (`reference_version_of`): no statement when cached."""
    return _cached(_variants, variant_id, catalogue, lambda: _load(variant_id))


def _cached(store: dict, key: Any, catalogue: tuple, load: Callable[[], Any]) -> Any:
    """`store[key]` if it was loaded under `catalogue`; else `load()`, kept under it, and the
    entries of older versions dropped."""
    hit = store.get(key)
    if hit is not None and hit[0] == catalogue:
        return hit[1]
    value = load()
    with _lock:
        for old in [k for k, (version, _) in store.items() if version != catalogue]:
            del store[old]
        store[key] = (catalogue, value)
    return value


_units: dict[int, tuple[tuple, Any]] = {}


def reference_unit(unit_id: int, catalogue: tuple):
    """The unit `unit_id` with its parent (None if it does not exist), cached like the cases
    under the catalogue version `catalogue` (a unit's save or delete moves it): the desk a filing
    names by id, and the units of a dossier's steps, which an action reads with its steps instead
    of joining the unit and its parent to every step (a result's header prints both; issue #18)."""
    from accounts.models import Unit

    return _cached(_units, unit_id, catalogue,
                   lambda: Unit.objects.select_related("parent").filter(pk=unit_id).first())


_in_force: dict[tuple[int, date], tuple[tuple, int | None]] = {}


def variant_in_force_cached(variant: Variant, on_date: date, catalogue: tuple) -> Variant | None:
    """catalog's `variant_in_force`, remembered per (case, date) under the catalogue version
    `catalogue` (as `filing_reference` read it): the version in force changes only with the
    catalogue. The case returned is the one given, or one loaded by `filing_reference`."""
    hit = _in_force.get((variant.pk, on_date))
    if hit is None or hit[0] != catalogue:
        found = variant_in_force(variant, on_date)
        hit = (catalogue, None if found is None else found.pk)
        with _lock:
            _in_force[(variant.pk, on_date)] = hit
    if hit[1] is None:
        return None
    if hit[1] == variant.pk:
        return variant
    return reference_variant(hit[1], catalogue)


def reference_changed(**kwargs: Any) -> None:
    """Signal receiver (dossiers/apps.py): a reference row was saved or deleted; move the
    version so that every worker reloads what it cached."""
    table = connection.ops.quote_name(ReferenceVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (id, number) VALUES (1, 1) "
                       f"ON CONFLICT (id) DO UPDATE SET number = {table}.number + 1")


def reference_clear() -> None:
    """Forget what this process cached (tests)."""
    with _lock:
        _variants.clear()
        _in_force.clear()
        _units.clear()
