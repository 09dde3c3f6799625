"""Serializer base shared by every app's API."""

import copy
import keyword
import threading
from collections.abc import Callable
from datetime import datetime  # noqa: F401 (read by the written plans, `_written`)
from typing import Any

from django.conf import settings
from django.core.exceptions import (  # noqa: F401 (read by the written plans, `_written`)
    FieldDoesNotExist,
    ObjectDoesNotExist,
)
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField, empty, get_attribute
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField, RelatedField
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import BindingDict

from motcua.prepared import held_rows

# PostgreSQL's column ranges, the production database's. Django takes integer ranges from the
# connection, so without this the API (and its schema) would accept 64-bit numbers on SQLite
# that PostgreSQL would then refuse.
_INTEGER_RANGES: dict[type[models.Field], tuple[int, int]] = {
    models.PositiveSmallIntegerField: (0, 32767),
    models.SmallIntegerField: (-32768, 32767),
    models.PositiveIntegerField: (0, 2147483647),
    models.PositiveBigIntegerField: (0, 9223372036854775807),
    models.BigIntegerField: (-9223372036854775808, 9223372036854775807),
    models.IntegerField: (-2147483648, 2147483647),
}


def _integer_range(model_field: models.Field) -> tuple[int, int] | None:
    for field_class in type(model_field).__mro__:
        if field_class in _INTEGER_RANGES:
            return _INTEGER_RANGES[field_class]
    return None


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose integer limits are the same on every database backend."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        limits = _integer_range(model_field)
        if limits is None:
            return field_class, field_kwargs
        low, high = limits
        backend_low, backend_high = connection.ops.integer_field_range(
            model_field.get_internal_type())
        if "max_value" in field_kwargs:
            field_kwargs["max_value"] = min(field_kwargs["max_value"], high)
        if "min_value" in field_kwargs:
            field_kwargs["min_value"] = max(field_kwargs["min_value"], low)
        # Drop only the validators that carry the backend's own range; a limit the model sets
        # itself (a share of at most 100, say) stays.
        backend_limits = {backend_low, backend_high}
        if field_kwargs.get("validators"):
            field_kwargs["validators"] = [
                v for v in field_kwargs["validators"]
                if not (isinstance(v, MinValueValidator | MaxValueValidator)
                        and v.limit_value in backend_limits)
            ]
            if not field_kwargs["validators"]:
                field_kwargs.pop("validators")
        return field_class, field_kwargs


# A serializer mixin whose fields are built from the model once per class, then copied for
# each answer: building them (model introspection, validators, labels) cost ~2 ms per filing
# answer (issue #18). Only for serializers whose fields do not depend on the request. A plain
# field is copied shallow (its own attributes are set again when the serializer binds it; a deep
# copy re-created every field, ~10 % of a filing's CPU), a list or dict field with its child
# (`_copied`); a nested serializer, which holds bound fields of its own, is copied deep. (A
# comment, not a docstring: the API schema describes each serializer by its classes' docstrings.)
class BuiltOnce:
    def get_fields(self):
        cls = type(self)
        template = cls.__dict__.get("_fields_built")
        if template is None:
            template = super().get_fields()
            cls._fields_built = template
        return {name: _copied(field) for name, field in template.items()}


def _copied(field: serializers.Field) -> serializers.Field:
    """`field` for one request: a plain field copied shallow; a list or dict field of plain
    values (an action's `data`) with its child copied shallow too and pointed at the copy, as
    its own `__init__` binds it (a deep copy re-ran that `__init__` and the child's: about 2 %
    of an action's instructions, issue #18); a nested serializer, or a list of lists, deep."""
    if isinstance(field, serializers.BaseSerializer):
        return copy.deepcopy(field)
    child = getattr(field, "child", None)
    if child is None:
        return _shallow(field)
    if isinstance(child, serializers.BaseSerializer) or hasattr(child, "child"):
        return copy.deepcopy(field)
    mine, own_child = _shallow(field), _shallow(child)
    own_child.parent = mine
    mine.child = own_child
    return mine


def _shallow(field: serializers.Field) -> serializers.Field:
    """What `copy.copy(field)` gives (a new instance of its class holding the same attributes:
    no DRF field defines `__copy__`, `__slots__` or a state of its own), without the generic
    path through `__reduce_ex__`, `copy._reconstruct`, `copyreg.__newobj__` and `Field.__new__`
    (whose `_args` and `_kwargs` the attributes copied replace): a filing copies twenty fields
    (issue #18)."""
    mine = object.__new__(type(field))
    mine.__dict__.update(field.__dict__)
    return mine


_answers = threading.local()


# A mixin for an answer's serializer (read only): its bound fields, nested serializers included,
# are kept per thread once an answer is built and taken by the next answer of the class, which
# only points them at itself (their parent: the context, the request, the method fields), instead
# of copying and binding some hundred fields for every action's answer (issue #18). Taken, not
# shared: an answer of the class built while another is (none is today) builds its own.
class FieldsReused:
    @property
    def fields(self):
        mine = self.__dict__.get("_fields_taken")
        if mine is None:
            pool = _answers.__dict__.setdefault("fields", {})
            mine = pool.pop(type(self), None)
            if mine is None:
                mine = BindingDict(self)
                for name, field in self.get_fields().items():
                    mine[name] = field
            else:
                mine.serializer = self
                # The BindingDict's own dict: its `values()` is a Python generator (a call a
                # field), about thirty an answer.
                for field in mine.fields.values():
                    field.parent = self
            self.__dict__["_fields_taken"] = mine
        return mine

    def to_representation(self, instance):
        fields = self.fields
        try:
            if not isinstance(instance, models.Model) or getattr(self.root, "partial", False):
                # A partial answer leaves out the fields whose source is missing (DRF's
                # `get_default`): its own way.
                return super().to_representation(instance)
            plan = fields.__dict__.get("_plan")
            if plan is None:
                plan = fields._plan = _plan(fields)
            return _represent(plan, instance)
        finally:
            _answers.__dict__.setdefault("fields", {})[type(self)] = fields


# How each readable field of an answer is represented, decided once for its bound fields: DRF's
# Serializer.to_representation asks every field of every row the same questions on every answer
# (the generator of readable fields, get_attribute's walk testing each value for a mapping and a
# callable by signature, the PKOnlyObject check): about a quarter of an action's application CPU
# (issue #18). The plan gives the same dict, in the fields' order, by the same fields'
# to_representation; whatever it does not recognise, or any value a shortcut cannot take as it is,
# goes DRF's own way (_generic), so the answer is the same byte for byte.
_SIMPLE, _PK, _METHOD, _LIST, _GENERIC = range(5)
# A simple field's source met None on the way: the answer says null, or leaves the key out.
_NULL, _SKIP = range(2)
# How a simple field's value is turned into JSON: by the field, or, for the kinds an answer has
# most of, as the field would without calling it (DRF's CharField gives str(value), which is the
# value itself for a str; its DateTimeField the ISO 8601 text in the current time zone, with "Z"
# for UTC; its ChoiceField the choice whose text is str(value)).
_BY_FIELD, _TEXT, _MOMENT, _SAME, _CHOICE = range(5)
# Fields whose to_representation gives back a value of this exact type as it is (a bool is in
# BooleanField's TRUE_VALUES or FALSE_VALUES, IntegerField's int(value) of an int is the int).
_SAME_TYPE = {serializers.BooleanField: bool, serializers.IntegerField: int}


def _plan(fields: BindingDict) -> list[tuple]:
    plan = []
    for name, field in fields.items():
        if field.write_only:
            continue
        kind, extra = _GENERIC, None
        plain_get = type(field).get_attribute is serializers.Field.get_attribute
        if isinstance(field, serializers.SerializerMethodField) and plain_get:
            kind = _METHOD
        elif (isinstance(field, serializers.ListSerializer) and plain_get and field.source_attrs
              and type(field).to_representation is serializers.ListSerializer.to_representation
              and _plain_rows(field.child)):
            kind, extra = _LIST, _plan(field.child.fields)
        elif (isinstance(field, PrimaryKeyRelatedField) and field.pk_field is None
              and len(field.source_attrs) == 1
              and type(field).get_attribute is RelatedField.get_attribute
              and type(field).to_representation is PrimaryKeyRelatedField.to_representation):
            kind, extra = _PK, field.source_attrs[0]
        elif (plain_get and field.source_attrs
              and not isinstance(field, serializers.BaseSerializer | RelatedField)):
            kind, extra = _SIMPLE, (tuple(field.source_attrs), _shape(field),
                                   _SAME_TYPE.get(type(field)), _none_on_the_way(field))
        plan.append((kind, name, field, extra))
    return plan


def _none_on_the_way(field: serializers.Field) -> int | None:
    """What DRF's `Field.get_attribute` does with a source of several attributes when one on the
    way is None (a step with no officer: `assignee.username`): the next `getattr` raises
    AttributeError, and the field's own settings decide — null, or the key left out — without
    a look at the instance. None where DRF would do more (a default, an error): its own way."""
    if any(hasattr(None, attr) for attr in field.source_attrs[1:]):
        return None
    if field.default is not empty:
        # DRF answers the default then (`get_default`; the answer is never partial, which
        # `FieldsReused` leaves to DRF): a None default is null, as a step with no officer's
        # `assignee` is. Any other default goes DRF's way.
        return _NULL if field.default is None else None
    if field.allow_null:
        return _NULL
    return _SKIP if not field.required else None


def _shape(field: serializers.Field) -> int:
    if type(field) is serializers.CharField:
        return _TEXT
    if type(field) in _SAME_TYPE:
        return _SAME
    if type(field) is serializers.BigIntegerField and not getattr(
            field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING):
        # A row's id: IntegerField's int(value), the int itself.
        return _SAME
    if type(field) is serializers.ChoiceField:
        return _CHOICE
    if (type(field) is serializers.DateTimeField and not hasattr(field, "timezone")
            and not hasattr(field, "format")):
        return _MOMENT
    return _BY_FIELD


def _plain_rows(child: serializers.BaseSerializer) -> bool:
    """Whether a list's rows are represented by DRF's Serializer.to_representation itself."""
    return (isinstance(child, serializers.Serializer)
            and type(child).to_representation is serializers.Serializer.to_representation)


def _generic(field: serializers.Field, instance: Any, answer: dict, name: str) -> None:
    """DRF's Serializer.to_representation for one field."""
    try:
        attribute = field.get_attribute(instance)
    except SkipField:
        return
    check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
    answer[name] = None if check_for_none is None else field.to_representation(attribute)


_ABSENT = object()
# A model's key column's name by the field's name, or "" where `serializable_value` finds none
# (not a field: the attribute itself, read through it).
_ATTNAMES: dict[tuple[type, str], str] = {}


def _attname(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        found = ""
    else:
        found = getattr(field, "attname", "") or ""
    _ATTNAMES[(model, name)] = found or "\x00"
    return found or "\x00"


def _represent(plan: list[tuple], instance: models.Model) -> dict:
    """The answer for `instance` by `plan`, in the current time zone."""
    return _run(plan)(instance, _zone())


def _zone() -> Any:
    """The zone DRF's DateTimeField asks for on each value, asked once for the answer; none
    (each value by its field) unless the project's format is ISO 8601 in a time zone."""
    shown = api_settings.DATETIME_FORMAT
    return (timezone.get_current_timezone() if settings.USE_TZ and isinstance(shown, str)
            and shown.lower() == ISO_8601 else None)


# A plan's function, kept with the plan it was written for (the plans live as long as the
# reused fields that hold them).
_RUNS: dict[int, tuple[list, Callable[[Any, Any], dict]]] = {}


def _run(plan: list[tuple]) -> Callable[[Any, Any], dict]:
    found = _RUNS.get(id(plan))
    if found is None or found[0] is not plan:
        found = _RUNS[id(plan)] = (plan, _written(plan))
    return found[1]


# Stands for "None met before the source's last attribute" in a written plan.
_STOP = object()


def _written(plan: list[tuple]) -> Callable[[Any, Any], dict]:
    """The plan as one Python function `(instance, zone) -> answer`, its fields, names and
    types bound to it: what interpreting the plan did field by field (unpacking its entry,
    choosing its branch, walking its source's attributes in a loop) decided once, where an
    answer of a hundred-odd values paid it on every value (issue #18). Each field's code is
    the branch the plan's interpreter took for its kind and shape, in the fields' order; the
    answer is the same dict (`dossiers/tests/test_answer_plan.py` compares it with DRF's)."""
    bound: dict[str, Any] = {}
    body = ["    answer = {}"]
    for i, (kind, name, field, extra) in enumerate(plan):
        f, n = f"f{i}", f"n{i}"
        bound[f], bound[n] = field, name
        if kind == _SIMPLE:
            body += _simple_code(i, extra, bound)
        elif kind == _METHOD:
            body.append(f"    answer[{n}] = {f}.to_representation(instance)")
        elif kind == _PK:
            bound[f"x{i}"] = extra
            body += [f"    value = instance.__dict__.get(_ATTNAMES.get((type(instance), x{i}))"
                     f" or _attname(type(instance), x{i}), _ABSENT)",
                     "    if value is not _ABSENT:",
                     f"        answer[{n}] = value",
                     "    else:",
                     f"        _pk_walked({f}, instance, answer, {n}, x{i})"]
        elif kind == _LIST:
            bound[f"r{i}"] = _run(extra)
            body.append(f"    _listed({f}, r{i}, instance, answer, {n}, zone)")
        else:
            body.append(f"    _generic({f}, instance, answer, {n})")
    body.append("    return answer")
    names = ", ".join(bound)
    source = (f"def _bind({names}):\n    def represent(instance, zone):\n"
              + "\n".join("    " + line for line in body) + "\n    return represent\n")
    made: dict[str, Any] = {}
    # The module's globals: `_generic` and the helpers are looked up when the answer is built.
    exec(compile(source, "<motcua.serializers answer plan>", "exec"), globals(), made)
    return made["_bind"](**bound)


def _read(holder: str, attr: str) -> str:
    return (f"{holder}.{attr}" if attr.isidentifier() and not keyword.iskeyword(attr)
            else f"getattr({holder}, {attr!r})")


def _simple_code(i: int, extra: tuple, bound: dict[str, Any]) -> list[str]:
    """A simple field's lines: its source's attributes read one after the other (DRF calls a
    method found on the way, and a missing link goes DRF's way: both to `_generic`); a None on
    the way stops the walk where `_none_on_the_way` says (null, or the key left out); then the
    value as its shape allows, else by the field."""
    attrs, shape, same, on_none = extra
    f, n = f"f{i}", f"n{i}"
    lines = ["    try:"]
    pad = "        "
    for j, attr in enumerate(attrs):
        lines += [f"{pad}value = {_read('instance' if j == 0 else 'value', attr)}",
                  f"{pad}if callable(value):",
                  f"{pad}    raise AttributeError({attr!r})"]
        if on_none is not None and j + 1 < len(attrs):
            lines += [f"{pad}if value is None:", f"{pad}    value = _STOP", f"{pad}else:"]
            pad += "    "
    lines += ["    except (AttributeError, ObjectDoesNotExist):",
              f"        _generic({f}, instance, answer, {n})",
              "    else:"]
    first = "if"
    if on_none is not None and len(attrs) > 1:
        lines += ["        if value is _STOP:",
                  f"            {'answer[' + n + '] = None' if on_none == _NULL else 'pass'}"]
        first = "elif"
    lines += [f"        {first} value is None:", f"            answer[{n}] = None"]
    by_field = f"            answer[{n}] = {f}.to_representation(value)"
    if shape in (_TEXT, _SAME):
        bound[f"t{i}"] = str if shape == _TEXT else (same or int)
        lines += [f"        elif type(value) is t{i}:", f"            answer[{n}] = value",
                  "        else:", by_field]
    elif shape == _CHOICE:
        # DRF's ChoiceField.to_representation, written out.
        lines += ["        else:",
                  f"            answer[{n}] = (value if value in ('', None) else "
                  f"{f}.choice_strings_to_values.get(str(value), value))"]
    elif shape == _MOMENT:
        lines += ["        elif (zone is not None and type(value) is datetime",
                  "              and value.utcoffset() is not None):",
                  "            try:",
                  "                text = value.astimezone(zone).isoformat()",
                  "            except OverflowError:",
                  f"                text = {f}.to_representation(value)  # DRF's error",
                  f"            answer[{n}] = text[:-6] + 'Z' if text.endswith('+00:00') else text",
                  "        else:", by_field]
    else:
        lines += ["        else:", by_field]
    return lines


def _pk_walked(field: serializers.Field, instance: models.Model, answer: dict, name: str,
               source: str) -> None:
    """A key whose column the instance's dict does not hold: DRF's `serializable_value`, or
    DRF's own way for a related row or a method."""
    try:
        value = instance.serializable_value(source)
    except AttributeError:
        _generic(field, instance, answer, name)
        return
    if isinstance(value, models.Model) or callable(value):
        _generic(field, instance, answer, name)
    else:
        answer[name] = value


def _listed(field: serializers.ListSerializer, run: Callable[[Any, Any], dict],
            instance: models.Model, answer: dict, name: str, zone: Any) -> None:
    """A nested list: a relation the instance holds (prefetched, or held by the action that
    wrote it) read as the related manager's `all()` would give its rows, without building the
    manager and the queryset it clones to reach them (issue #18); each row by its plan."""
    attrs = field.source_attrs
    rows = held_rows(instance, attrs[0]) if len(attrs) == 1 else None
    if rows is None:
        try:
            rows = get_attribute(instance, attrs)
        except (AttributeError, KeyError):
            _generic(field, instance, answer, name)
            return
        if rows is None:
            answer[name] = None
            return
        if isinstance(rows, models.manager.BaseManager):
            rows = rows.all()
    child = field.child
    answer[name] = [run(row, zone) if isinstance(row, models.Model)
                    else child.to_representation(row) for row in rows]
