"""Serializer base shared by every app's API."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from rest_framework import serializers

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
