"""What the dossier table's indexes cost an action's database side (issue #18, forward10).

    .venv/bin/python bench/dossier_indexes.py --database <a bench database> [--pool 20000]
        [--seconds 20] [--rounds 3] [--clients 8] [--variants base,-trgm,...]
        [--distinct-applicants]

Uses a database prepared by bench/submissions.py (`--prepare-only`, e.g. 1,000,000 dossiers).
An action's update of the dossier row is never HOT (it changes the state, the current unit or
step, a moment), so it writes an entry in every index of the table whose condition the new row
meets — also in those on columns fixed at filing (code, applicant's and owner's ID, phone, the
name's trigrams, applicant account, the moments of receipt). This bench asks what those entries
cost the forward's and the approval's database side, with pgbench, 8 clients, each transaction
the essential SQL of bench/essential.py and bench/essential_actions.py:

- the statements' text is the essential floor's own (`_Statements`, `_ApproveStatements`: the
  real path's lock statement and joined write), their parameters captured from one real call
  of each floor on a dossier filed and moved on through the API here (the write is caught
  before it is sent, and rolled back); a few parameters become pgbench variables so that every
  transaction writes another dossier of a pool: the dossier's id and code, its first two steps'
  ids, the event's id (taken by the lock statement, as in the real path), the event's and the
  outbox rows' sequence numbers and the outbox keys (from a sequence, unique), the stored
  result's uid (`gen_random_uuid()`). Every other value is the captured one (the same columns,
  the same JSON payloads, the same state and moments: the same partial indexes' conditions).
- the pool (`make_pool`): the newest `--pool` dossiers, put back in progress, with two steps
  (the copies bench/submissions.py makes in SQL have none), each updated again and again; the
  tables are
  vacuumed and a checkpoint taken before each run, so that runs start alike.
- the variants: the same workload with a group of indexes dropped (and rebuilt after, from
  their own definitions): the indexes on columns fixed at filing, which a structural change
  (those columns in a 1:1 table written once at filing) would take off the row the actions
  update. `base` keeps all. Each round runs every variant, forward then approval, so variants
  interleave; each pgbench run and each drop/rebuild under the lock file --lock names (when
  other benchmarks share the machine, each takes the same file).

Prints each run (tps, machine load) and per variant the medians and the ratio to `base`. The
figures of forward10 (docs/architecture.md, "Indexes of the dossier table"): `--pool 20000
--seconds 15 --rounds 3`, on a copy of 1,000,000 dossiers given `--distinct-applicants`.
"""

import argparse
import fcntl
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The indexes on columns a dossier's actions never change, by group (docs/architecture.md,
# "Indexes of the dossier table"), by the names the migrations give them.
GROUPS = {
    "-trgm": ["dossier_name_trgm"],
    "-search": ["dossier_applicant_id", "dossier_owner_id", "dossier_applicant_phone"],
    "-code": ["dossier_code"],
    "-received": ["dossier_received_by_unit", "dossier_unit_received"],
    "-user": ["dossier_applicant_user"],
}
GROUPS["-fixed"] = [n for g in GROUPS.values() for n in g]


class _Caught(Exception):
    def __init__(self, sql: str, params: list) -> None:
        super().__init__("caught")
        self.sql, self.params = sql, params


def _literal(conn, value) -> str:
    """A parameter as SQL text; a colon inside a quoted literal written `\\x3a` in an E'' string
    (pgbench takes `:word` for a variable, in prepared mode even inside quotes)."""
    from psycopg import sql

    text = sql.Literal(value).as_string(conn)
    m = re.fullmatch(r"\s*(E?)'(.*)'(::[\w ]+)?\s*", text, re.S)
    if m is None or ":" not in m.group(2):
        return text
    body = m.group(2) if m.group(1) else m.group(2).replace("\\", "\\\\")
    return "E'" + body.replace(":", "\\x3a") + "'" + (m.group(3) or "")


def _bind(conn, sql_text: str, params: list, named: dict[int, str]) -> str:
    """`sql_text` (psycopg's %s placeholders) with each parameter written in: a pgbench
    variable or expression where `named` says so, the captured value otherwise."""
    parts = sql_text.split("%s")
    assert len(parts) == len(params) + 1, (len(parts), len(params))
    out = [parts[0]]
    for i, value in enumerate(params):
        out.append(named.get(i) or _literal(conn, value))
        out.append(parts[i + 1])
    text = "".join(out).replace("%%", "%")
    return " ".join(text.split())


def _lock_text(conn, st, code_var: str, user_id: int) -> str:
    named = {}
    for slot, value in zip(st.lock_slots, (code_var, None), strict=True):
        for i in slot:
            if value is not None:
                named[i] = value
    params = list(st.lock_params)
    for i in st.lock_slots[1]:
        params[i] = user_id
    return _bind(conn, st.lock_sql, params, named)


def _write_names(params: list, dossier_id: int, code: str, steps: tuple[int, int],
                 action: str, draft: int | None = None) -> dict[int, str]:
    """Which of the write's parameters become pgbench variables, found by their values and
    their neighbours (the event's row starts with its id and the dossier's; an outbox row with
    the dossier's id, its sequence number, kind, payload, sent flag and key)."""
    import uuid

    from psycopg.types.json import Jsonb

    named: dict[int, str] = {}
    for i, v in enumerate(params):
        if isinstance(v, bool) or v is None:
            continue
        if isinstance(v, int) and v == dossier_id:
            named[i] = ":id"
        elif isinstance(v, int) and v == steps[0]:
            named[i] = ":s1"
        elif isinstance(v, int) and v == steps[1]:
            named[i] = ":s2"
        elif isinstance(v, str) and v == code:
            named[i] = ":code"
        elif isinstance(v, uuid.UUID):
            named[i] = "gen_random_uuid()"
    events = [i for i in range(len(params) - 3) if params[i + 1] == dossier_id
              and params[i + 3] == action and isinstance(params[i], int)]
    assert len(events) == 1, events
    named[events[0]] = ":l_event_id_taken"
    for i in (events[0] + 1, events[0] + 2):
        named.pop(i, None)
    named[events[0] + 1] = ":id"
    named[events[0] + 2] = ":eseq"
    boxes = [i for i in range(len(params) - 5) if named.get(i) == ":id"
             and isinstance(params[i + 3], Jsonb) and isinstance(params[i + 5], str)
             and params[i + 5].startswith(code + ":")]
    assert len(boxes) == 2, boxes
    for n, i in enumerate(boxes, start=1):
        named[i + 1] = f":o{n}"
        named[i + 5] = f":k{n}"
    if draft is not None:
        # The draft version the approval signs: the write's last parameter (its update's key).
        assert params[-1] == draft
        named[len(params) - 1] = ":draft"
    return named


def capture(database: str) -> tuple[dict[str, tuple[str, str]], int]:
    """The forward's and the approval's (lock statement, joined write) as pgbench SQL, and the
    draft version the approval signs."""
    from bench.actions_setup import actions_django, actions_filing, at_head, token_client

    actions_django(database)
    from django.db import connection, transaction

    import bench.essential as fwd
    import bench.essential_actions as acts
    from accounts.models import User
    from dossiers.models import Dossier

    desk = User.objects.get(username="tiepnhan")
    client = token_client(desk)
    codes = []
    for _ in range(2):
        r = client.post("/api/v1/dossiers/", actions_filing(), format="json")
        assert r.status_code == 201, r.content
        codes.append(r.json()["code"])

    class _Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql, params):
            raise _Caught(sql, list(params))

    def caught_send(connection, sql, params, **kwargs):
        raise _Caught(sql, list(params))

    fwd.joined_cursor = lambda connection: _Cursor()
    acts.joined_send = caught_send
    out = {}
    connection.ensure_connection()
    pg = connection.connection

    def steps_of(d) -> tuple[int, int]:
        ids = list(d.steps.order_by("order").values_list("pk", flat=True))
        at = ids.index(d.current_step_id)
        return ids[at], ids[at + 1]

    # The forward: the first dossier, received, by the desk.
    d = Dossier.objects.get(code=codes[0])
    try:
        with transaction.atomic():
            st = fwd._Statements()
            fwd._forward(st, d.code, desk)
        raise AssertionError("the essential forward refused or wrote")
    except _Caught as c:
        caught = c
    names = _write_names(caught.params, d.pk, d.code, steps_of(d), "forward")
    out["forward"] = (_lock_text(pg, st, ":code", desk.pk),
                      _bind(pg, caught.sql, caught.params, names))

    # The approval: the second dossier, moved on to the head's step, by the head.
    waiting, head_client = at_head([codes[1]], desk)
    d = waiting[0]
    from accounts.models import Membership

    head = Membership.objects.filter(unit_id=d.current_step.unit_id, role="head").first().user
    draft = d.result_drafts.order_by("-version").first()
    try:
        with transaction.atomic():
            ast = acts._ApproveStatements()
            acts._approve(ast, d.code, head, draft.pk if draft else None)
        raise AssertionError("the essential approval refused or wrote")
    except _Caught as c:
        caught = c
    names = _write_names(caught.params, d.pk, d.code, steps_of(d), "approve", draft.pk)
    out["approve"] = (_lock_text(pg, ast, ":code", head.pk),
                      _bind(pg, caught.sql, caught.params, names))
    connection.close()
    return out, draft.pk


def script(lock: str, write: str, pool: int, variant: str) -> str:
    """The pgbench transaction. Without the code's index (`-code`, `-fixed`), the lock statement
    finds the dossier through `bench_index_codes` (code → id, every dossier, unique on the
    code): what it would do with the code in a table of its own, written once at filing."""
    if "dossier_code" in GROUPS.get(variant, []):
        where = 'WHERE "dossiers_dossier"."code" = :code'
        assert lock.count(where) == 1
        lock = lock.replace(where, 'WHERE "dossiers_dossier"."id" = (SELECT c.id FROM '
                                   "bench_index_codes c WHERE c.code = :code)")
    return "\n".join([
        f"\\set r random(1, {pool})",
        "SELECT p.id, p.code, p.s1, p.s2, p.draft, 1000000 + 3 * x.n AS eseq, "
        "1000001 + 3 * x.n AS o1, 1000002 + 3 * x.n AS o2, "
        "'bench:' || x.n || ':1' AS k1, 'bench:' || x.n || ':2' AS k2 "
        "FROM bench_index_pool p, (SELECT nextval('bench_index_n') AS n) x WHERE p.r = :r",
        "\\gset",
        "BEGIN;",
        lock,
        "\\gset l_",
        write + ";",
        "COMMIT;",
        ""])


def psql(database: str, sql: str) -> str:
    r = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database,
                        "-v", "ON_ERROR_STOP=1", "-Atc", sql], capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"psql failed: {r.stderr}\n{sql[:300]}")
    return r.stdout.strip()


def make_pool(database: str, pool: int, draft: int) -> None:
    """The newest `pool` dossiers, as the actions of bench/submissions.py act on the newest (and
    a service's dossiers in progress are its latest): each put back in progress (the columns
    the return fills emptied, so that the partial indexes' conditions are those of a dossier
    not yet returned — the copies are mostly returned ones) and given two steps, copied from a
    dossier that has them, where it has none (the copies have none)."""
    cols = [c for c in psql(database, "SELECT string_agg(quote_ident(column_name), ',' ORDER BY "
                                      "ordinal_position) FROM information_schema.columns WHERE "
                                      "table_name = 'dossiers_dossierstep'").split(",")
            if c not in ("id", "dossier_id")]
    dcols = [c for c in psql(database, "SELECT string_agg(quote_ident(column_name), ',' ORDER BY "
                                       "ordinal_position) FROM information_schema.columns WHERE "
                                       "table_name = 'results_resultdraft'").split(",")
             if c not in ("id", "stored_id")]
    picked = [{"dossier_id": "p.id", "version": "900"}.get(c, f"t.{c}") for c in dcols]
    psql(database, "DROP TABLE IF EXISTS bench_index_pool;"
         "CREATE SEQUENCE IF NOT EXISTS bench_index_n;"
         # Past every sequence number an earlier run wrote: the numbers never met again.
         "SELECT setval('bench_index_n', greatest(1, (SELECT coalesce(max(seq), 0) FROM "
         "sync_outboxmessage) / 3, (SELECT coalesce(max(seq), 0) FROM dossiers_dossierevent) / 3));"
         "CREATE TABLE bench_index_pool AS SELECT row_number() OVER (ORDER BY id) AS r, id, code "
         f"FROM (SELECT id, code FROM dossiers_dossier ORDER BY id DESC LIMIT {pool}) d;"
         "UPDATE dossiers_dossier SET state = 'processing', decided_at = NULL, returned_at = "
         "NULL, closed_at = NULL WHERE id IN (SELECT id FROM bench_index_pool);"
         f"INSERT INTO dossiers_dossierstep (dossier_id, {','.join(cols)}) "
         f"SELECT p.id, {','.join('t.' + c for c in cols)} FROM bench_index_pool p CROSS JOIN "
         "(SELECT * FROM dossiers_dossierstep WHERE dossier_id = (SELECT dossier_id FROM "
         "dossiers_dossierstep GROUP BY 1 HAVING count(*) >= 2 ORDER BY 1 LIMIT 1) "
         "ORDER BY \"order\" LIMIT 2) t "
         "WHERE NOT EXISTS (SELECT 1 FROM dossiers_dossierstep s WHERE s.dossier_id = p.id);"
         "ALTER TABLE bench_index_pool ADD s1 bigint, ADD s2 bigint;"
         "UPDATE bench_index_pool p SET s1 = f.s1, s2 = f.s2 FROM (SELECT dossier_id, "
         "(array_agg(id ORDER BY \"order\"))[1] AS s1, (array_agg(id ORDER BY \"order\"))[2] AS s2 "
         "FROM dossiers_dossierstep WHERE dossier_id IN (SELECT id FROM bench_index_pool) "
         "GROUP BY 1) f WHERE f.dossier_id = p.id;"
         "DELETE FROM bench_index_pool WHERE s2 IS NULL;"
         # A draft version of its own for each (the approval signs it: one row for all would
         # be a lock every approval waits on), a copy of the one the capture's approval named.
         "ALTER TABLE bench_index_pool ADD draft bigint;"
         f"INSERT INTO results_resultdraft ({','.join(dcols)}) SELECT "
         f"{','.join(picked)} "
         f"FROM bench_index_pool p, results_resultdraft t WHERE t.id = {draft} "
         "ON CONFLICT DO NOTHING;"
         "UPDATE bench_index_pool p SET draft = d.id FROM results_resultdraft d "
         "WHERE d.dossier_id = p.id AND d.version = 900;"
         "CREATE UNIQUE INDEX ON bench_index_pool (r);"
         "DROP TABLE IF EXISTS bench_index_codes;"
         "CREATE TABLE bench_index_codes AS SELECT code, id FROM dossiers_dossier;"
         "CREATE UNIQUE INDEX ON bench_index_codes (code varchar_pattern_ops)")
    psql(database, "VACUUM ANALYZE dossiers_dossier, dossiers_dossierstep, bench_index_pool, "
         "bench_index_codes")
    n = psql(database, "SELECT count(*), max(r) FROM bench_index_pool")
    assert n.split("|")[0] == n.split("|")[1] == str(pool), n
    assert psql(database, "SELECT count(*) FROM bench_index_pool WHERE draft IS NULL") == "0"
    print(f"pool: the newest {pool} dossiers, in progress, two steps each", flush=True)


def definitions(database: str, names: list[str]) -> list[tuple[str, str, str]]:
    """(drop, create, name) for each index or unique constraint named."""
    found = []
    for name in names:
        row = psql(database, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE "
                   f"conrelid = 'dossiers_dossier'::regclass AND conname = '{name}'")
        if row:
            found.append((f'ALTER TABLE dossiers_dossier DROP CONSTRAINT "{name}"',
                          f'ALTER TABLE dossiers_dossier ADD CONSTRAINT "{name}" {row}', name))
            continue
        row = psql(database, "SELECT relname, pg_get_indexdef(oid) FROM pg_class "
                   f"WHERE relname = '{name}'")
        assert row, f"no index {name}"
        idx, indexdef = row.split("|", 1)
        found.append((f'DROP INDEX "{idx}"', indexdef, idx))
    return found


# Every dossier its own applicant: a 12-digit ID, a phone on 7 in 10, an owner's ID on 1 in 7, a
# folded name from common family, middle and given names (86,400 of them). The copy
# bench/submissions.py makes repeats a few names and leaves phones and owners empty: the search
# indexes would be tiny and the partial ones take no entry from an action.
DISTINCT_APPLICANTS = (
    "UPDATE dossiers_dossier SET "
    "applicant_id_number = lpad(((id * 7919 + 104729) % 1000000000000)::text, 12, '0'), "
    "applicant_phone = CASE WHEN id % 10 < 7 "
    "THEN '09' || lpad(((id * 48271) % 100000000)::text, 8, '0') ELSE '' END, "
    "owner_id_number = CASE WHEN id % 7 = 0 "
    "THEN lpad(((id * 69621 + 7) % 1000000000000)::text, 12, '0') ELSE '' END, "
    "applicant_name_folded = (ARRAY['nguyen','tran','le','pham','hoang','huynh','phan','vu',"
    "'vo','dang','bui','do','ho','ngo','duong','ly'])[1 + id % 16] || ' ' || "
    "(ARRAY['van','thi','huu','duc','minh','thanh','ngoc','quoc','kim','xuan','hoai',"
    "'bao'])[1 + (id / 16) % 12] || ' ' || "
    "(ARRAY['an','binh','chau','dung','giang','hai','hanh','hieu','hoa','hung','huong','khanh',"
    "'lan','linh','long','mai','nam','nga','nhung','phong','phuong','quang','son','tam','thao',"
    "'thu','trang','tuan','viet','yen'])[1 + (id / 192) % 30] || ' ' || "
    "(ARRAY['anh','bich','cuong','diep','hau','kiet','loan','my','nhi','oanh','quyen','sang',"
    "'tien','uyen','vinh'])[1 + (id / 5760) % 15]")


def distinct_applicants(database: str) -> None:
    """The applicants' columns one per dossier, the table's indexes rebuilt compact."""
    psql(database, DISTINCT_APPLICANTS)
    psql(database, "VACUUM dossiers_dossier")
    psql(database, "REINDEX TABLE dossiers_dossier")
    psql(database, "VACUUM ANALYZE dossiers_dossier")
    print("applicants:", psql(database, "SELECT count(DISTINCT applicant_name_folded) || ' names, "
                                        "' || count(*) FILTER (WHERE applicant_phone <> '') || "
                                        "' phones' FROM dossiers_dossier"), flush=True)


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(database: str, path: str, clients: int, seconds: float) -> float:
    psql(database, "VACUUM dossiers_dossier, dossiers_dossierstep, dossiers_dossierevent")
    psql(database, "CHECKPOINT")
    # An index rebuilt over broken HOT chains (`indcheckxmin`) is not used by a transaction
    # whose snapshot is older than the index; any session of the server left in a transaction
    # (another database's too) holds that horizon back, and the lock statement then reads the
    # table whole: ~13 tps instead of ~600 in the first runs of this bench. Said beside the run.
    held = psql(database, "SELECT string_agg(indexrelid::regclass::text, ', ') FROM pg_index "
                          "WHERE indrelid = 'dossiers_dossier'::regclass AND indcheckxmin")
    if held:
        print(f"  (indcheckxmin set on {held}: maybe unusable to this run)", flush=True)
    r = subprocess.run(["pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-M", "prepared",
                        "-c", str(clients), "-j", "2", "-T", str(round(seconds)), "-f", path,
                        database], capture_output=True, text=True)
    m = re.search(r"tps = ([\d.]+) \(without initial", r.stdout)
    if r.returncode or m is None:
        sys.exit(f"pgbench failed:\n{r.stdout}\n{r.stderr}")
    failed = re.search(r"number of failed transactions: (\d+)", r.stdout)
    if failed and int(failed.group(1)):
        sys.exit(f"pgbench: failed transactions\n{r.stdout}")
    return float(m.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--pool", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--lock", default="",
                        help="a file every benchmark sharing the machine locks while it runs")
    # The variant `approve-no-counter` (the approval's number from a sequence instead of its
    # unit's yearly counter row) measured what that row's lock cost the approval; the approval
    # takes no counter since (its result is numbered after the commit: results/numbering.py).
    parser.add_argument("--variants", default="base,-trgm,-search,-code,-received,-fixed")
    parser.add_argument("--keep-scripts", metavar="DIR")
    parser.add_argument("--distinct-applicants", action="store_true",
                        help="first give every dossier its own applicant (DISTINCT_APPLICANTS; "
                             "rewrites the table once, minutes at 1,000,000)")
    args = parser.parse_args()
    from bench.machine import describe

    print(describe(), flush=True)
    if args.distinct_applicants:
        distinct_applicants(args.database)
    statements, draft = capture(args.database)
    make_pool(args.database, args.pool, draft)
    print("dossiers:", psql(args.database, "SELECT count(*) FROM dossiers_dossier"),
          "| indexes of dossiers_dossier:",
          psql(args.database, "SELECT count(*) FROM pg_index WHERE indrelid = "
               "'dossiers_dossier'::regclass"), flush=True)
    folder = Path(args.keep_scripts or tempfile.mkdtemp(prefix="dossier_indexes_"))
    folder.mkdir(parents=True, exist_ok=True)
    variants = args.variants.split(",")
    paths = {}
    for variant in variants:
        for action, (lock, write) in statements.items():
            path = paths[(variant, action)] = folder / f"{action}{variant}.sql"
            path.write_text(script(lock, write, args.pool, variant), encoding="utf-8")
    figures: dict[tuple[str, str], list[float]] = {}
    for rnd in range(1, args.rounds + 1):
        for variant in variants:
            lock_fd = os.open(args.lock or os.devnull, os.O_RDONLY)
            fcntl.flock(lock_fd, fcntl.LOCK_EX)
            try:
                defs = definitions(args.database, GROUPS.get(variant, []))
                for drop, _, _ in defs:
                    psql(args.database, drop)
                try:
                    for action in ("forward", "approve"):
                        if (variant, action) not in paths:
                            continue
                        before = load()
                        tps = run(args.database, str(paths[(variant, action)]), args.clients,
                                  args.seconds)
                        figures.setdefault((variant, action), []).append(tps)
                        print(f"round {rnd} {variant:10} {action:8} {tps:8.1f} tps "
                              f"(load before {before})", flush=True)
                finally:
                    started = time.monotonic()
                    for _, create, _ in defs:
                        psql(args.database, create)
                    if defs:
                        print(f"  rebuilt {', '.join(n for *_, n in defs)} in "
                              f"{time.monotonic() - started:.0f} s", flush=True)
            finally:
                fcntl.flock(lock_fd, fcntl.LOCK_UN)
                os.close(lock_fd)
    print(f"\nmedians of {args.rounds} runs of {args.seconds:g} s, {args.clients} clients:")
    for action in ("forward", "approve"):
        base = statistics.median(figures[("base", action)]) if ("base", action) in figures else None
        for variant in variants:
            if (variant, action) not in figures:
                continue
            m = statistics.median(figures[(variant, action)])
            ratio = f"{m / base:.3f}" if base else "—"
            print(f"  {action:8} {variant:10} {m:8.1f} tps  × {ratio} of base  "
                  f"(runs {', '.join(f'{v:.0f}' for v in figures[(variant, action)])})")


if __name__ == "__main__":
    main()
