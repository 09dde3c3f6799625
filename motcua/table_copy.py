"""For tests: a copy of what a database holds, taken once and put back many times — the demo
data before each browser test (e2e/conftest.py), the national file's import for the catalogue's
test modules (catalog/tests/conftest.py). Here, not in e2e/, since both use it.

`load_demo()` takes 7–12 s; each of the browser tests needs the database exactly as it leaves it.
So the first test loads it and this module copies what it wrote: every table's rows (as the
database stores them, without going through the models), the sequences' positions (the next
dossier, user, event… gets the id a fresh load would give it) and the files it put in
MEDIA_ROOT (uploaded papers, drafts). Each later test gets that copy back instead of a new load.

Rows are read and written in the database's own terms so that nothing is converted on the way:
PostgreSQL's binary COPY, SQLite's stored values (a unary `+` on each column hides its declared
type from the driver's converters). Foreign keys are deferred to the commit on both databases,
so the tables go back in any order.
"""

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction


@dataclass(frozen=True)
class Snapshot:
    # table → its rows: PostgreSQL's COPY output, or SQLite's (column names, rows).
    tables: dict[str, object]
    # PostgreSQL: (sequence, last value or None when unused); SQLite: sqlite_sequence's rows.
    sequences: list[tuple[str, int | None]]
    media: Path | None  # None: no files copied


def tables() -> list[str]:
    """The tables `flush` empties: every model's, not django_migrations."""
    return sorted(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def _sqlite_columns(cursor, table: str) -> list[str]:
    q = connection.ops.quote_name
    cursor.execute(f"PRAGMA table_info({q(table)})")
    return [row[1] for row in cursor.fetchall()]


def sequences() -> list[tuple[str, int | None]]:
    """Where each sequence stands: what the next insert into each table will be numbered."""
    with connection.cursor() as cursor:
        if _postgresql():
            cursor.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema() ORDER BY sequencename"
            )
        else:
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        return [tuple(row) for row in cursor.fetchall()]


def take(media_root: Path | None = None, into: Path | None = None) -> Snapshot:
    """Copy what the database holds now, and the files of `media_root` into `into` (when named)."""
    copied: dict[str, object] = {}
    q = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables():
            if _postgresql():
                with cursor.cursor.copy(f"COPY {q(table)} TO STDOUT (FORMAT BINARY)") as copy:
                    copied[table] = b"".join(bytes(chunk) for chunk in copy)
            else:
                columns = _sqlite_columns(cursor, table)
                cursor.execute(
                    "SELECT {} FROM {}".format(", ".join(f"+{q(c)}" for c in columns), q(table))
                )
                copied[table] = (columns, cursor.fetchall())
    media = None
    if media_root is not None and into is not None:
        media = into / "media"
        shutil.copytree(media_root, media, dirs_exist_ok=True)
    return Snapshot(tables=copied, sequences=sequences(), media=media)


def restore(snapshot: Snapshot, media_root: Path | None = None) -> None:
    """Empty every table and put the copy back, sequences included; make `media_root` hold the
    copy's files and nothing else."""
    q = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # DELETE, not flush's TRUNCATE: PostgreSQL gives each truncated table a new file, about
        # 3 s for the ~110 tables with fsync on, where deleting a few thousand rows takes a
        # fraction of that. The sequences are set below.
        for table in tables():
            cursor.execute(f"DELETE FROM {q(table)}")
        for table, rows in snapshot.tables.items():
            if _postgresql():
                if rows:
                    with cursor.cursor.copy(f"COPY {q(table)} FROM STDIN (FORMAT BINARY)") as copy:
                        copy.write(rows)
            else:
                columns, values = rows
                if values:
                    cursor.executemany(
                        "INSERT INTO {} ({}) VALUES ({})".format(
                            q(table),
                            ", ".join(q(c) for c in columns),
                            ", ".join(["%s"] * len(columns)),
                        ),
                        values,
                    )
        if _postgresql():
            # Every sequence of the schema, the ones no table owns included (TRUNCATE … RESTART
            # IDENTITY resets only the owned ones).
            for name, value in snapshot.sequences:
                if value is None:
                    cursor.execute(f"ALTER SEQUENCE {q(name)} RESTART")
                else:
                    cursor.execute("SELECT setval(%s, %s, true)", [q(name), value])
        else:
            # An explicit id moves sqlite_sequence up to it, never down: put back exactly what
            # the load left (a row deleted during the load keeps its number used).
            cursor.execute("DELETE FROM sqlite_sequence")
            cursor.executemany(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", snapshot.sequences
            )
    if snapshot.media is not None and media_root is not None:
        shutil.rmtree(media_root, ignore_errors=True)
        shutil.copytree(snapshot.media, media_root)


def fingerprint(
    media_root: Path, *, leave_out: dict[str, set[str]] | None = None
) -> dict[str, object]:
    """Row count and a checksum of the rows of every table, the sequences, and each file of
    `media_root` with its checksum. `leave_out` names columns (per table, "*" for every table)
    kept out of the checksums, for values that differ between two loads (clock, random keys)."""
    leave_out = leave_out or {}
    q = connection.ops.quote_name
    found: dict[str, object] = {}
    with connection.cursor() as cursor:
        for table in tables():
            cursor.execute(f"SELECT * FROM {q(table)} WHERE 1 = 0")
            skip = leave_out.get(table, set()) | leave_out.get("*", set())
            columns = [d[0] for d in cursor.description if d[0] not in skip]
            cursor.execute(
                "SELECT {} FROM {}".format(", ".join(q(c) for c in columns), q(table))
                if columns
                else f"SELECT 1 FROM {q(table)}"
            )
            rows = sorted(repr(row) for row in cursor.fetchall())
            found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    found["sequences"] = sequences()
    found["media"] = sorted(
        (str(path.relative_to(media_root)), hashlib.sha256(path.read_bytes()).hexdigest())
        for path in media_root.rglob("*")
        if path.is_file()
    )
    return found
