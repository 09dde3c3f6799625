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


class CappedCountPagination(BoundedLimitOffsetPagination):
    """For a list that may hold a million rows (the staff's dossiers): `count` is exact up to
    COUNT_CAP rows and `count_exact` says so; past it, counting every row would cost more than
    the page (the work-list pages stop at "1000+" for the same reason), so `count` is only a
    lower bound. `next` is told by reading one row more than the page, not by the count; a page
    that shows the list's end counts nothing at all."""

    COUNT_CAP = 10_000

    def paginate_queryset(self, queryset, request: Request, view=None) -> list:
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        rows = list(queryset[self.offset:self.offset + self.limit + 1])
        self.has_more = len(rows) > self.limit
        rows = rows[:self.limit]
        seen = self.offset + len(rows) if rows else 0  # past the end, the offset proves nothing
        if not self.has_more and (rows or self.offset == 0):
            self.count, self.count_exact = seen, True  # the end is on this page
        else:
            counted = queryset.order_by().values("pk")[:self.COUNT_CAP + 1].count()
            self.count_exact = counted <= self.COUNT_CAP
            self.count = counted if self.count_exact else max(counted, seen + self.has_more)
        return rows

    def get_next_link(self) -> str | None:
        # With a row beyond the page, `count` is past it too, so the parent's link is right.
        return super().get_next_link() if self.has_more else None

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_exact"] = self.count_exact
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count"]["description"] = (
            f"Số hồ sơ: chính xác khi count_exact là true; khi danh sách dài hơn "
            f"{self.COUNT_CAP:,} dòng thì chỉ là mức tối thiểu.".replace(",", "."))
        out["properties"]["count_exact"] = {"type": "boolean"}
        out["required"] = [*out.get("required", []), "count_exact"]
        return out
