"""A condition "this text column is not blank", written as the partial indexes write theirs.

Several indexes cover only the rows where a column is filled (`condition=~Q(col="")`: most
dossiers have no owner distinct from the applicant, many no phone). A query may use such an index
only when the planner can tell that the rows it wants are all filled. `col = %s` with a bound
value does not tell SQLite that — it plans before it sees the value — so "Hồ sơ của tôi" read
every dossier of the installation. Adding this condition, with its blank as a literal exactly as
the index states it, lets SQLite pick the index (PostgreSQL proves it from the values already,
but not for a prepared statement's generic plan: DATABASE_SERVER_SIDE_BINDING)."""

from django.db.models import F
from django.db.models.lookups import Lookup


class Filled(Lookup):
    """`NOT (column = '')`, for `.filter(Filled("column"))` or inside a Q. A lookup, so that
    the WHERE clause holds it as it is (another expression would be compared with TRUE)."""

    lookup_name = "filled"
    prepare_rhs = False

    def __init__(self, column: str) -> None:
        super().__init__(F(column), True)

    def as_sql(self, compiler, connection):
        sql, params = self.process_lhs(compiler, connection)
        return f"NOT ({sql} = '')", params
