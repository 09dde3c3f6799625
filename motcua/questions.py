"""Several small questions about different tables answered by one statement.

A page that asks "how many …?" and "is there any …?" of unrelated tables (the staff navigation:
the unread notifications, whether the person has reform plans to open) would send one statement
each; `answered_together` sends them as the scalar subqueries of one SELECT (issue #18: a page
within 12 statements).
"""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def answered_together(*, counts: dict[str, QuerySet] | None = None,
                      exists: dict[str, QuerySet] | None = None) -> dict[str, int | bool]:
    """{name: the number of rows of the queryset} for `counts` and {name: whether it has any}
    for `exists`, in one statement (none when every queryset is known to be empty)."""
    answers: dict[str, int | bool] = {}
    parts: list[str] = []
    params: list = []
    asked: list[tuple[str, type]] = []
    for name, qs in (counts or {}).items():
        try:
            sql, more = qs.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            answers[name] = 0
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{len(parts)})")
        params.extend(more)
        asked.append((name, int))
    for name, qs in (exists or {}).items():
        try:
            sql, more = qs.order_by().values("pk")[:1].query.sql_with_params()
        except EmptyResultSet:
            answers[name] = False
            continue
        parts.append(f"EXISTS ({sql})")
        params.extend(more)
        asked.append((name, bool))
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        answers.update({name: kind(value or 0) for (name, kind), value in zip(asked, row,
                                                                             strict=True)})
    return answers
