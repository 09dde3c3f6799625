"""Paging of every API list: `limit` capped, absurd numbers refused with a 400.

Without a cap, `limit=100000` returned every visible dossier in one answer; a number beyond what
the database's LIMIT/OFFSET takes (`limit=99999999999999999999`) failed with a 500.
"""

from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

# No list holds more rows than this; a larger limit or offset is a mistake or a probe.
MAX_NUMBER = 10**9


def _parameter(request: Request, name: str, minimum: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10
            and minimum <= int(raw) <= MAX_NUMBER):
        raise ValidationError({name: [
            f"“{name}” phải là số nguyên từ {minimum} đến {MAX_NUMBER:,}.".replace(",", ".")]})
    return int(raw)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`limit` 1 … 10⁹, answered with at most MOTCUA_API_MAX_PAGE_SIZE rows; `offset` 0 … 10⁹;
    anything else a 400 naming the parameter."""

    @property
    def max_limit(self) -> int:  # type: ignore[override]
        return settings.MOTCUA_API_MAX_PAGE_SIZE

    def get_limit(self, request: Request) -> int:
        limit = _parameter(request, self.limit_query_param, 1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        return _parameter(request, self.offset_query_param, 0) or 0

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            minimum = 1 if parameter["name"] == self.limit_query_param else 0
            parameter["schema"] = {"type": "integer", "minimum": minimum, "maximum": MAX_NUMBER}
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = (
                    f"Số dòng mỗi trang (mặc định {self.default_limit}, tối đa "
                    f"{self.max_limit} dòng được trả về).")
        return parameters
