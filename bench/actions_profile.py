"""Profile the hot actions in process: forward, approve without signing, return of the result,
through the test client on PostgreSQL, against the trivial write (issue #18).

    .venv/bin/python bench/actions_profile.py --database <a bench database> [--count 200]
                                             [--top 25] [--action forward|approve|return_result]

Uses a database prepared by bench/submissions.py (`--prepare-only`, 1,000,000 dossiers with
`--existing`). Files `--count` dossiers through the API (not measured), then runs each action on
them through Django's test client with the desk's or the head's token, as gunicorn would (DEBUG
off, so no statement is recorded), and prints the application CPU per request (process time,
this process: Python and psycopg's side, not PostgreSQL's), the statements of one request, and
the functions that cost most under cProfile. The trivial write (`POST /bench/trivial/`) is
measured the same way first: the floor. With `--essential`, the essential forward
(bench/essential.py, the forward's floor: its statements, no rules, no instances) on as many
dossiers filed alike, before the real forward: `--dump` then keeps both profiles to compare
function by function (`<dump>.essential_forward.prof`). To compare two versions of the code, count
instructions instead (bench/actions_instructions.py): the times here move with the machine.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--action", action="append", default=None,
                        help="forward, approve, return_result (the filing is always measured)")
    parser.add_argument("--sort", default="tottime", help="pstats order: tottime, cumulative")
    parser.add_argument("--sql-width", type=int, default=160,
                        help="characters of each statement printed (0: all)")
    parser.add_argument("--per-index", action="store_true",
                        help="also the buffers each index of the dossier table touched")
    parser.add_argument("--essential", action="store_true",
                        help="also profile the essential forward (bench/essential.py) on as "
                             "many dossiers filed alike, before the real forward")
    parser.add_argument("--dump", default="",
                        help="save each profile as <dump>.<name>.prof (pstats) to read further")
    parser.add_argument("--ours", type=int, default=30,
                        help="also list the project's functions costing most (cumulative)")
    args = parser.parse_args()
    actions = args.action or ["forward", "approve", "return_result"]
    from bench.actions_setup import actions_django, actions_filing, backend_ticks, token_client

    actions_django(args.database)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Membership, User
    from bench.submissions import _moved_on
    from catalog.models import Step
    from dossiers.models import Dossier, State
    from dossiers.services import dossier_act

    try:
        from results.rendering import results_render_pending
    except ImportError:  # a checkout from before the results rendered after the approval
        results_render_pending = None

    desk = User.objects.get(username="tiepnhan")
    filing = actions_filing()

    def backend_cpu() -> float:
        """The CPU seconds PostgreSQL's process serving this connection has used."""
        ticks = backend_ticks()
        return float("nan") if ticks is None else ticks / os.sysconf("SC_CLK_TCK")

    tables = ("dossiers_dossier", "dossiers_dossierstep", "dossiers_dossierevent",
              "dossiers_dossieraccess", "sync_outboxmessage", "results_storeddocument",
              "results_resultdraft")

    def db_counts() -> dict[str, int]:
        """This database's buffers and rows (the bench database is this process's alone), the
        index entries the listed tables' writes touched, and the WAL inserted (the cluster's:
        read on a quiet server). The statistics are flushed first (PostgreSQL 15)."""
        with connection.cursor() as c:
            c.execute("SELECT pg_stat_force_next_flush()")
            c.execute("SELECT pg_stat_clear_snapshot()")
            c.execute("SELECT blks_hit + blks_read, tup_inserted, tup_updated, "
                      "pg_current_wal_insert_lsn() - '0/0'::pg_lsn "
                      "FROM pg_stat_database WHERE datname = current_database()")
            blocks, ins, upd, wal = c.fetchone()
            c.execute("SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd "
                      "FROM pg_stat_user_tables WHERE relname = ANY(%s)", [list(tables)])
            counts = {"buffers": blocks, "rows inserted": ins, "rows updated": upd,
                      "WAL bytes": int(wal)}
            for rel, t_ins, t_upd, t_hot in c.fetchall():
                counts[f"{rel} ins/upd/hot"] = (t_ins, t_upd, t_hot)
            # The index buffers touched, per table: what its indexes' reads and writes cost.
            c.execute("SELECT relname, COUNT(*), SUM(idx_blks_hit + idx_blks_read) "
                      "FROM pg_statio_user_indexes WHERE relname = ANY(%s) GROUP BY relname",
                      [list(tables)])
            for rel, n, touched in c.fetchall():
                counts[f"{rel} indexes"] = n
                counts[f"{rel} index buffers"] = int(touched)
            if args.per_index:
                c.execute("SELECT indexrelname, idx_blks_hit + idx_blks_read "
                          "FROM pg_statio_user_indexes WHERE relname = 'dossiers_dossier'")
                for index, touched in c.fetchall():
                    counts[f"  {index}"] = int(touched)
        return counts

    def db_delta(before: dict, after: dict, n: int) -> str:
        parts = []
        for key, value in after.items():
            if key.endswith("indexes"):
                parts.append(f"{key} {value}")
            elif isinstance(value, tuple):
                d = [(a - b) / n for a, b in zip(value, before[key], strict=True)]
                if any(d):
                    parts.append(f"{key} " + "/".join(f"{x:.2f}" for x in d))
            else:
                parts.append(f"{key} {(value - before[key]) / n:.1f}")
        return "; ".join(parts)

    def measure(name: str, calls: list, ok: int) -> None:
        """Run `calls` (each a function doing one request), the first one counted, then half of
        the rest timed unprofiled (this process's CPU and the database server's), the other
        half profiled."""
        first, rest = calls[0], calls[1:]
        with CaptureQueriesContext(connection) as q:
            r = first()
        assert r.status_code == ok, r.content[:500]
        sql = [x["sql"] for x in q.captured_queries
               if not x["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))]
        plain, profiled = rest[:len(rest) // 2], rest[len(rest) // 2:]
        counts = db_counts()
        cpu, db = time.process_time(), backend_cpu()
        for call in plain:
            r = call()
            assert r.status_code == ok, r.content[:500]
        app_ms = 1000 * (time.process_time() - cpu) / max(1, len(plain))
        db_ms = 1000 * (backend_cpu() - db) / max(1, len(plain))
        written = db_delta(counts, db_counts(), max(1, len(plain)))
        # Timed by CPU, not wall: the waits for the database are its side, measured apart.
        profile = cProfile.Profile(time.process_time)
        cpu = time.process_time()
        profile.enable()
        for call in profiled:
            r = call()
            assert r.status_code == ok, r.content[:500]
        profile.disable()
        per = 1000 * (time.process_time() - cpu) / max(1, len(profiled))
        print(f"\n== {name}: {app_ms:.2f} ms application CPU and {db_ms:.2f} ms of the database "
              f"server's a request over {len(plain)} unprofiled; {per:.2f} ms application CPU "
              f"profiled over {len(profiled)}; {len(sql)} statements:")
        print("   the database a request:", written)
        for s in sql:
            print("   ", s[:args.sql_width] if args.sql_width else s)
        out = io.StringIO()
        if args.dump:
            short = "_".join(name.split()[:2]) if name.startswith("essential") else name.split()[0]
            profile.dump_stats(f"{args.dump}.{short}.prof")
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(args.sort).print_stats(args.top)
        if args.ours:
            # The project's own functions by cumulative time: where the request's time goes.
            stats.sort_stats("cumulative").print_stats(str(ROOT) + "/(?!\\.venv)", args.ours)
        print(out.getvalue())

    trivial = token_client(desk)
    measure("trivial write", [lambda: trivial.post("/bench/trivial/", {"key": "p"},
                                                   format="json")
                              for _ in range(args.count)], 201)
    desk_client = token_client(desk)
    codes = []

    def file():
        r = desk_client.post("/api/v1/dossiers/", filing, format="json")
        if r.status_code == 201:
            codes.append(r.json()["code"])
        return r

    # The filings the actions then run on, measured as the filing of issue #18 (accept: true).
    measure("filing (accept: true)", [file for _ in range(args.count + 1)], 201)
    if args.essential and "forward" in actions:
        # The forward's floor, on dossiers filed alike (not measured): the gap is our code.
        floor_codes = [desk_client.post("/api/v1/dossiers/", filing, format="json").json()["code"]
                       for _ in range(args.count)]
        measure("essential forward", [lambda c=c: desk_client.post(
            f"/bench/essential/{c}/forward/", {}, format="json") for c in floor_codes], 200)
    if "forward" in actions:
        measure("forward", [lambda c=c: desk_client.post(
            f"/api/v1/dossiers/{c}/actions/forward/", {}, format="json") for c in codes], 200)
    ours = Dossier.objects.filter(code__in=codes).select_related("current_step__unit")
    if "approve" in actions or "return_result" in actions:
        if "forward" not in actions:
            for c in codes:
                dossier_act(dossier=Dossier.objects.get(code=c), actor=desk, action="forward")
        at_head = _moved_on(ours.filter(state=State.PROCESSING),
                            lambda d: d.current_step.role == Step.Role.HEAD, len(codes))
        head = Membership.objects.filter(unit_id=at_head[0].current_step.unit_id,
                                         role="head").first().user
        head_client = token_client(head)
        if "approve" in actions:
            # Each approval names its dossier's draft (bench/submissions.py drafts it).
            measure("approve without signing", [lambda d=d: head_client.post(
                f"/api/v1/dossiers/{d.code}/actions/approve/",
                {"data": {"result_draft": d.result_draft.pk}} if d.result_draft else {},
                format="json") for d in at_head], 200)
        else:
            for d in at_head:
                dossier_act(dossier=d, actor=head, action="approve",
                            data={"result_draft": d.result_draft.pk} if d.result_draft else {})
        cpu = time.process_time()
        rendered = results_render_pending(batch=10_000) if results_render_pending else 0
        if rendered:
            print(f"\n== the worker's rendering: {rendered} results, "
                  f"{1000 * (time.process_time() - cpu) / rendered:.1f} ms CPU each")
    if "return_result" in actions:
        ready = [dossier_act(dossier=d, actor=desk, action="mark_result_ready").code
                 for d in ours.filter(state=State.DECIDED)]
        body = {"data": {"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}}}
        measure("return of the result", [lambda c=c: desk_client.post(
            f"/api/v1/dossiers/{c}/actions/return_result/", json.loads(json.dumps(body)),
            format="json") for c in ready], 200)


if __name__ == "__main__":
    main()
