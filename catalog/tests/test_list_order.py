"""The catalogue's list without a query (the public page's first view and the API's) is read in
its order from one index, on both databases, with no sort of the whole table."""

import pytest
from django.db import connection

from catalog.models import Procedure
from catalog.selectors import procedure_list

pytestmark = pytest.mark.django_db


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # A few test rows make a scan and a sort cheapest on PostgreSQL; forbid both to see
        # whether the index can serve the order at all.
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_page_and_its_count_come_from_the_list_index():
    for i in range(30):
        Procedure.objects.create(code=f"1.{i:06d}", name=f"Thủ tục số {i}",
                                 is_active=i % 5 != 0)
    page = procedure_list()[:20]
    sql, params = page.query.sql_with_params()
    plan = _plan(sql, params)
    assert "procedure_list_order" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
    count = procedure_list().order_by()
    sql, params = count.values("pk").query.sql_with_params()
    assert "procedure_list_order" in _plan(f"SELECT COUNT(*) FROM ({sql}) t", params)
    # And the order it serves is the catalogue's: in force only, by code, newest version first.
    Procedure.objects.create(code="1.000001", version=2, name="Thủ tục số 1, bản 2")
    codes = [(p.code, p.version) for p in procedure_list()[:3]]
    assert codes == [("1.000001", 2), ("1.000001", 1), ("1.000002", 1)]
