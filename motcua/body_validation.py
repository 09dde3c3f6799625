"""A serializer's validation of a JSON body by its own fields, without DRF's per-request
machinery (issue #18).

DRF's `Serializer(data=…).is_valid()` builds the serializer's fields for the request (copies of
a nested serializer's and a list's child's fields included), walks them through generators and
`get_value`, and wraps each list row in its own serializer's `run_validation`: for a filing's
body (the applicant and a dozen papers) that was about a sixth of its Python, work the trivial
write (one field) does not do. Here the fields are bound once per process, on one instance of
the serializer kept for it, and each value goes through its field's own `run_validation` — the
same emptiness rules, defaults, conversions, validators and house rules (motcua/inputs.py) — so
a body it accepts gives the same validated data, in the same order.

Anything else goes DRF's way, which then gives its own answer, errors included: a body that is
not a JSON object (a form's QueryDict: its fields read HTML input their own way), a nested value
of another type, a list with limits, any error at all, and any serializer with validators, a
`validate` or `validate_<field>` of its own, a field whose source is not its name, or a default
that needs the serializer's context (which the kept instance does not have).
"""

import threading
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

# How a field's value is validated: by the field; as a nested serializer's object; as a list of
# a serializer's objects.
_FIELD, _NESTED, _LIST = range(3)


class _Other(Exception):
    """A body this path does not take: DRF's own."""


class BodyValidator:
    """`validated(data)`: what `serializer_class(data=data)` would hold as `validated_data` once
    valid, or None when the body must go DRF's way (see the module)."""

    def __init__(self, serializer_class: type[serializers.Serializer]) -> None:
        self._class = serializer_class
        self._plan: list[tuple] | bool | None = None
        self._lock = threading.Lock()

    def validated(self, data: Any) -> dict[str, Any] | None:
        plan = self._plan
        if plan is None:
            with self._lock:
                if self._plan is None:
                    # Built at the first request, when the apps and the settings are ready.
                    self._plan = _plan(self._class()) or False
                plan = self._plan
        if plan is False or type(data) is not dict:
            return None
        try:
            return _run(plan, data)
        except (serializers.ValidationError, DjangoValidationError, _Other):
            return None


# The fields' ways of reading their value that, for a JSON object (not HTML input) and a
# serializer that is not partial, read `data.get(name, empty)`: a field reading it another way
# (HiddenField: never) goes DRF's way.
_PLAIN_READS = frozenset({
    serializers.Field.get_value, serializers.MultipleChoiceField.get_value,
    serializers.ListField.get_value, serializers.DictField.get_value,
    serializers.JSONField.get_value, serializers.Serializer.get_value,
    serializers.ListSerializer.get_value,
})


def _own_rules(serializer: serializers.Serializer) -> bool:
    """Whether the serializer validates otherwise than by its fields alone."""
    cls, base = type(serializer), serializers.Serializer
    return bool(serializer.validators or cls.validate is not base.validate
                or cls.run_validation is not base.run_validation
                or cls.to_internal_value is not base.to_internal_value
                or any(hasattr(serializer, f"validate_{name}") for name in serializer.fields))


def _plan(serializer: serializers.Serializer) -> list[tuple] | None:
    """Each writable field of `serializer` (bound on it) with how its value is validated; None
    when the serializer is one this path does not take."""
    if _own_rules(serializer):
        return None
    plan = []
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if (field.source_attrs != [name] or getattr(field.default, "requires_context", False)
                or type(field).get_value not in _PLAIN_READS):
            return None
        if isinstance(field, serializers.ListSerializer):
            child = field.child
            base = serializers.ListSerializer
            if (not isinstance(child, serializers.Serializer) or field.validators
                    or any(getattr(type(field), name) is not getattr(base, name) for name in
                           ("validate", "run_validation", "to_internal_value",
                            "run_child_validation"))):
                return None
            rows = _plan(child)
            if rows is None:
                return None
            plan.append((name, field, _LIST, rows))
        elif isinstance(field, serializers.Serializer):
            sub = _plan(field)
            if sub is None:
                return None
            plan.append((name, field, _NESTED, sub))
        elif isinstance(field, serializers.BaseSerializer):
            return None
        else:
            plan.append((name, field, _FIELD, None))
    return plan


def _run(plan: list[tuple], data: dict) -> dict[str, Any]:
    """Serializer.to_internal_value for a dict, each field by `plan` (errors raise)."""
    ret: dict[str, Any] = {}
    for name, field, kind, sub in plan:
        value = data.get(name, empty)
        if kind == _FIELD:
            try:
                ret[name] = field.run_validation(value)
            except SkipField:
                pass
            continue
        try:
            # The serializer's (or the list's) run_validation: its emptiness rules first.
            is_empty, value = field.validate_empty_values(value)
        except SkipField:
            continue
        if is_empty:
            ret[name] = value
        elif kind == _NESTED:
            ret[name] = _object(sub, value)
        else:
            if (type(value) is not list or (not field.allow_empty and not value)
                    or field.max_length is not None or field.min_length is not None):
                raise _Other
            ret[name] = [_row(field.child, sub, item) for item in value]
    return ret


def _object(plan: list[tuple], value: Any) -> Any:
    if type(value) is not dict:
        raise _Other
    return _run(plan, value)


def _row(child: serializers.Serializer, plan: list[tuple], item: Any) -> Any:
    """A list's row as its child serializer's run_validation gives it."""
    try:
        is_empty, item = child.validate_empty_values(item)
    except SkipField:
        raise _Other from None
    return item if is_empty else _object(plan, item)
