"""Instructions a request of the hot actions cost the application, counted, not timed (issue #18).

    .venv/bin/python bench/actions_instructions.py --database <a bench database>
                     [--count 30] [--warm 5] [--action forward|approve|return_result]
                     [--essential] [--no-callgrind] [--explain] [--keep DIR]

The machine is shared and its speed moves more between runs than one change does: wall-clock and
CPU times cannot tell a 3 % change. This counts the instructions the Python process executes
(Django, DRF, psycopg, the project's code: everything but PostgreSQL's side) with `valgrind
--tool=callgrind`: two runs from the same database (`--template`) with the same `PYTHONHASHSEED`
differ by at most 0.5 % a request (the moments, ids and codes written differ, and with them the
lengths of what is formatted), unless the garbage collector runs a full collection inside one
batch and not in the other: each batch starts from a collected heap, and the table says how many
full collections each batch ran. The script runs itself under callgrind with the instrumentation
off (Django's start and the preparation of the dossiers run at valgrind's plain speed) and turns
it on only around each measured batch: `--count` requests of one kind through Django's test
client, as gunicorn would run them (DEBUG off, no statement log), after `--warm` requests of the
same kind uninstrumented (statements compiled, caches filled). The switch is callgrind's client
requests, called through a ten-line C library compiled here with gcc (valgrind's headers,
/usr/include/valgrind/callgrind.h).

Measured in the order: the trivial write (`POST /bench/trivial/`, the floor the actions are held
against, bench/trivial_urls.py), the filing (accept: true), with `--essential` the essential
filing (`POST /bench/essential/dossiers/`, bench/essential_filing.py: the real filing's statements,
the same rows and answer, the same body, no rules and no model instances; printed with its ratio
to the trivial write and the real filing's to it) and the essential
forward (`POST /bench/essential/<code>/forward/`, bench/essential.py: the least a forward could be
on this stack — the real forward's three statements, the same rows and answer, no rules and no
model instances — on dossiers filed alike, unmeasured; printed with its ratio to the trivial write
and the real forward's to it: the gap that is our code), the essential approval and return of the
result (bench/essential_actions.py, each before the real, on dossiers moved alike), forward, approve
without signing (naming the draft where the procedure drafts one), return of the result; each
action on dossiers the filings created, each dossier once, moved on between the actions in this
process (not measured). Printed: instructions a request, the trivial write's share of each (the
proxy of the server bench's ratio: an action at 40 % of the trivial write's rate would cost 2.5
times its instructions, if the database's side and the server's fixed cost scaled alike, which
they do not exactly), the statements of one request, and PostgreSQL's side of the batch: buffers,
rows, and its backend's CPU (from /proc, in clock ticks: coarse and as noisy as the machine).

`--explain`: one more request of each kind with `auto_explain` loaded in the session (its
output sent to this client as notices, nothing in the server's log): each statement's time in
the executor, buffers, rows and WAL, and the foreign-key triggers' time, all with EXPLAIN
ANALYZE's instrumentation (slower than unobserved: read the shares, not the sums).

Uses a database prepared by bench/submissions.py (`--prepare-only --database <name>`; a small
one is enough for the instructions, `--existing 10000`). Each run uses `--count + --warm + 2`
fresh dossiers of each action and leaves them in the database; `--template <prepared>` makes
`--database` afresh as a copy of the prepared one first, so that two runs (before and after a
change) start from the same rows.
"""

import argparse
import ctypes
import gc
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_C = r"""
#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void cg_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
void cg_zero(void) { CALLGRIND_ZERO_STATS; }
void cg_dump(const char *s) { CALLGRIND_DUMP_STATS_AT(s); }
int cg_running(void) { return RUNNING_ON_VALGRIND; }
"""


def _library(directory: Path):
    source, lib = directory / "cg.c", directory / "cg.so"
    source.write_text(_C)
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", str(lib), str(source)], check=True)
    return ctypes.CDLL(str(lib))


def parent(args) -> None:
    """Run this script under callgrind and read the instruction counts it dumped."""
    directory = Path(args.keep or tempfile.mkdtemp(prefix="actions_instructions."))
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("callgrind.out*"):
        old.unlink()
    command = [
        "valgrind", "--tool=callgrind", "--instr-atstart=no", "--dump-instr=no",
        f"--callgrind-out-file={directory}/callgrind.out", sys.executable, __file__,
        "--child", str(directory), *sys.argv[1:],
    ]
    env = dict(os.environ, PYTHONHASHSEED="0")
    started = time.monotonic()
    done = subprocess.run(command, env=env, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr[-4000:])
        sys.exit(done.returncode)
    counts = {}
    for dump in sorted(directory.glob("callgrind.out.*")):
        text = dump.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.M)
        total = re.search(r"^totals: (\d+)", text, re.M)
        if label and total:
            counts[label.group(1)] = int(total.group(1))
    results = json.loads((directory / "results.json").read_text())
    print(f"\n== instructions a request (callgrind, the Python process; {args.count} requests "
          f"each after {args.warm} unmeasured; {time.monotonic() - started:.0f} s under valgrind)")
    floor = counts.get("trivial write", 0) / args.count
    print(f"   {'request':28} {'instructions':>14} {'trivial/this':>13} {'statements':>11}"
          f" {'full GCs':>9}")
    for name, info in results.items():
        per = counts.get(name, 0) / args.count
        share = f"{100 * floor / per:12.1f}%" if per else ""
        print(f"   {name:28} {per:14,.0f} {share:>13} {info['statements']:>11}"
              f" {info['full collections']:>9}")
    print("   (full GCs: the garbage collector's full collections in the batch, counted in; a "
          "batch with one costs more than its requests do)")
    for essential_name, real_name in (("essential forward", "forward"),
                                      ("essential approve", "approve without signing"),
                                      ("essential return", "return of the result")):
        essential = counts.get(essential_name, 0) / args.count
        if essential and floor:
            real = counts.get(real_name, 0) / args.count
            print(f"   {essential_name} / trivial write {essential / floor:.2f}x; {real_name} / "
                  f"its floor {real / essential:.2f}x (the gap that is our code)")
    essential_filing = counts.get("essential filing", 0) / args.count
    if essential_filing and floor:
        real = counts.get("filing (accept: true)", 0) / args.count
        print(f"   essential filing / trivial write {essential_filing / floor:.2f}x; filing / "
              f"essential filing {real / essential_filing:.2f}x (the gap that is our code)")
    print("\n(the database's side, not counted above; backend CPU in clock ticks, noisy)")
    for name, info in results.items():
        print(f"   {name}: {info['database']}")
    if args.explain:
        for name, info in results.items():
            print(f"\n== {name}: each statement under auto_explain (ms in the executor, "
                  f"buffers hit+read, rows, WAL records and bytes; triggers' ms)")
            for line in info.get("explain", []):
                print("   ", line)
    if args.statements:
        for name, info in results.items():
            print(f"\n== {name}: statements")
            for s in info["sql"]:
                print("   ", s[:args.sql_width] if args.sql_width else s)


def child(args) -> None:
    directory = Path(args.child)
    cg = _library(directory)
    if not cg.cg_running() and not args.no_callgrind:
        raise SystemExit("the child runs under valgrind only")

    full: list[int] = []

    def collections(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    def instrumented(label: str, calls: list, ok: int) -> int:
        """Run `calls` counted; the full garbage collections they ran. Each batch starts from a
        collected heap: a full collection cost about 100 million instructions here, and where
        one falls (in which batch) depends on what ran before, not on the requests measured."""
        gc.collect()
        full.clear()
        gc.callbacks.append(collections)
        cg.cg_start()
        cg.cg_zero()
        for call in calls:
            r = call()
            assert r.status_code == ok, r.content[:500]
        cg.cg_dump(label.encode())
        cg.cg_stop()
        gc.callbacks.remove(collections)
        return len(full)

    from bench.actions_setup import actions_django, actions_filing, backend_ticks, token_client

    actions_django(args.database)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Membership, User
    from bench.submissions import _moved_on
    from catalog.models import Step
    from dossiers.models import Dossier, State
    from dossiers.services import dossier_act
    from results.rendering import results_render_pending

    desk = User.objects.get(username="tiepnhan")
    filing = actions_filing()

    def db_counts() -> tuple:
        with connection.cursor() as c:
            c.execute("SELECT pg_stat_force_next_flush()")
            c.execute("SELECT pg_stat_clear_snapshot()")
            c.execute("SELECT blks_hit + blks_read, tup_inserted, tup_updated, tup_fetched "
                      "FROM pg_stat_database WHERE datname = current_database()")
            return (*c.fetchone(), backend_ticks() or 0)

    notices: list[str] = []

    def explained(call, ok: int) -> list[str]:
        """One request with auto_explain reporting each statement to this client."""
        with connection.cursor() as c:
            c.execute("LOAD 'auto_explain'")
            for name, value in (("log_min_duration", "0"), ("log_analyze", "on"),
                                ("log_buffers", "on"), ("log_wal", "on"),
                                ("log_timing", "on"), ("log_triggers", "on"),
                                ("log_format", "json"), ("log_level", "notice")):
                c.execute(f"SET auto_explain.{name} = '{value}'")
        pg = connection.connection
        def handler(diagnostic) -> None:
            notices.append(diagnostic.message_primary or "")

        pg.add_notice_handler(handler)
        notices.clear()
        try:
            r = call()
            assert r.status_code == ok, r.content[:500]
        finally:
            pg.remove_notice_handler(handler)
            with connection.cursor() as c:
                c.execute("SET auto_explain.log_min_duration = -1")
        lines = []
        checks = [0, 0.0, 0]  # the foreign keys' checks at the commit: count, ms, buffers
        for message in notices:
            m = re.match(r"duration: ([\d.]+) ms\s+plan:\s*(.*)", message, re.S)
            if not m:
                continue
            try:
                plan = json.loads(m.group(2))
            except ValueError:
                continue
            top = plan["Plan"]
            hit = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
            triggers = sum(t.get("Time", 0) for t in plan.get("Triggers", []))
            text = " ".join(plan.get("Query Text", "").split())
            if text.startswith("SELECT 1 FROM ONLY") and "FOR KEY SHARE" in text:
                checks[0] += 1
                checks[1] += float(m.group(1))
                checks[2] += hit
                continue
            lines.append(f"{float(m.group(1)):7.3f} ms  {hit:4} buf  "
                         f"{top.get('Actual Rows', 0):5} rows  {top.get('WAL Records', 0):3} wal "
                         f"{top.get('WAL Bytes', 0):6} B  "
                         f"trig {triggers:6.3f}  {text[:args.sql_width or None]}")
        lines.append(f"{checks[1]:7.3f} ms  {checks[2]:4} buf  the {checks[0]} foreign-key "
                     f"checks (SELECT 1 … FOR KEY SHARE) of the rows written")
        return lines

    results: dict[str, dict] = {}

    def measure(name: str, calls: list, ok: int) -> None:
        """`--warm` calls unmeasured, one with its statements captured, `--count` counted (and
        the database's side of them), then one under auto_explain when asked."""
        warm, calls = calls[:args.warm], calls[args.warm:]
        for call in warm:
            r = call()
            assert r.status_code == ok, r.content[:500]
        with CaptureQueriesContext(connection) as q:
            r = calls[0]()
        assert r.status_code == ok, r.content[:500]
        sql = [x["sql"] for x in q.captured_queries
               if not x["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))]
        counted, rest = calls[1:args.count + 1], calls[args.count + 1:]
        before = db_counts()
        collected = instrumented(name, counted, ok)
        after = db_counts()
        n = len(counted)
        d = [(a - b) / n for a, b in zip(after, before, strict=True)]
        info = {"statements": len(sql), "sql": sql, "full collections": collected,
                "database": f"buffers {d[0]:.1f}, rows inserted {d[1]:.1f}, updated {d[2]:.1f},"
                            f" fetched {d[3]:.1f}, backend CPU {d[4]:.2f} ticks a request"}
        if args.explain and rest:
            info["explain"] = explained(rest[0], ok)
        results[name] = info

    per = args.count + args.warm + 2
    trivial = token_client(desk)
    measure("trivial write", [lambda: trivial.post("/bench/trivial/", {"key": "p"},
                                                   format="json") for _ in range(per)], 201)
    desk_client = token_client(desk)
    codes: list[str] = []

    def file():
        r = desk_client.post("/api/v1/dossiers/", filing, format="json")
        if r.status_code == 201:
            codes.append(r.json()["code"])
        return r

    measure("filing (accept: true)", [file for _ in range(per)], 201)
    if args.essential:
        # The essential floor of the filing (bench/essential_filing.py), same body, after the
        # real one; the dossiers it files are not used by the actions below.
        measure("essential filing", [lambda: desk_client.post(
            "/bench/essential/dossiers/", filing, format="json") for _ in range(per)], 201)
    actions = args.action or ["forward", "approve", "return_result"]
    # The dossiers the filings left, each used once by the next action measured.
    if "forward" in actions:
        if args.essential:
            # The essential floor (bench/essential.py) on dossiers filed alike, unmeasured; then
            # the trivial write again, so the floor's two rows bracket the real forward's.
            floor = [desk_client.post("/api/v1/dossiers/", filing, format="json").json()["code"]
                     for _ in range(per)]
            measure("essential forward", [lambda c=c: desk_client.post(
                f"/bench/essential/{c}/forward/", {}, format="json") for c in floor], 200)
        measure("forward", [lambda c=c: desk_client.post(
            f"/api/v1/dossiers/{c}/actions/forward/", {}, format="json") for c in codes], 200)
    else:
        for c in codes:
            dossier_act(dossier=Dossier.objects.get(code=c), actor=desk, action="forward")
    ours = Dossier.objects.filter(code__in=codes).select_related("current_step__unit")
    if "approve" in actions or "return_result" in actions:
        at_head = _moved_on(ours.filter(state=State.PROCESSING).order_by("pk"),
                            lambda d: d.current_step.role == Step.Role.HEAD, len(codes))
        head = Membership.objects.filter(unit_id=at_head[0].current_step.unit_id,
                                         role="head").order_by("pk").first().user
        head_client = token_client(head)
        if "approve" in actions and args.essential:
            # The approval's essential floor (bench/essential_actions.py) on dossiers filed and
            # moved alike to the head's step (the result drafted), unmeasured, before the real.
            filed = [desk_client.post("/api/v1/dossiers/", filing, format="json").json()["code"]
                     for _ in range(per)]
            for c in filed:
                dossier_act(dossier=Dossier.objects.get(code=c), actor=desk, action="forward")
            alike = Dossier.objects.filter(code__in=filed).select_related("current_step__unit")
            measure("essential approve", [lambda d=d: head_client.post(
                f"/bench/essential/{d.code}/approve/",
                {"data": {"result_draft": d.result_draft.pk}} if d.result_draft else {},
                format="json") for d in _moved_on(
                    alike.order_by("pk"), lambda d: d.current_step.role == Step.Role.HEAD, per)],
                200)
        if "approve" in actions:
            measure("approve without signing", [lambda d=d: head_client.post(
                f"/api/v1/dossiers/{d.code}/actions/approve/",
                {"data": {"result_draft": d.result_draft.pk}} if d.result_draft else {},
                format="json") for d in at_head], 200)
        else:
            for d in at_head:
                dossier_act(dossier=d, actor=head, action="approve",
                            data={"result_draft": d.result_draft.pk} if d.result_draft else {})
        results_render_pending(batch=10_000)
    if "return_result" in actions:
        ready = [dossier_act(dossier=d, actor=desk, action="mark_result_ready").code
                 for d in ours.filter(state=State.DECIDED).order_by("pk")]
        body = {"data": {"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}}}
        if args.essential:
            # The return's essential floor (bench/essential_actions.py) on dossiers filed and
            # moved alike to the desk's return, unmeasured, before the real return.
            filed = [desk_client.post("/api/v1/dossiers/", filing, format="json").json()["code"]
                     for _ in range(per)]
            for c in filed:
                dossier_act(dossier=Dossier.objects.get(code=c), actor=desk, action="forward")
            alike = Dossier.objects.filter(code__in=filed).select_related("current_step__unit")
            for d in _moved_on(alike.order_by("pk"),
                               lambda d: d.current_step.role == Step.Role.HEAD, per):
                dossier_act(dossier=d, actor=head, action="approve",
                            data={"result_draft": d.result_draft.pk} if d.result_draft else {})
            results_render_pending(batch=10_000)
            floor = [dossier_act(dossier=d, actor=desk, action="mark_result_ready").code
                     for d in alike.filter(state=State.DECIDED).order_by("pk")]
            measure("essential return", [lambda c=c: desk_client.post(
                f"/bench/essential/{c}/return_result/", json.loads(json.dumps(body)),
                format="json") for c in floor], 200)
        measure("return of the result", [lambda c=c: desk_client.post(
            f"/api/v1/dossiers/{c}/actions/return_result/", json.loads(json.dumps(body)),
            format="json") for c in ready], 200)
    (directory / "results.json").write_text(json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--action", action="append", default=None,
                        help="forward, approve, return_result (the filing is always measured)")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--essential", action="store_true",
                        help="also the essential filing (bench/essential_filing.py), after the "
                             "real one, and the essential forward, approval and return "
                             "(bench/essential.py, bench/essential_actions.py), each before "
                             "the real one")
    parser.add_argument("--statements", action="store_true", help="print each statement")
    parser.add_argument("--sql-width", type=int, default=110)
    parser.add_argument("--keep", default="", help="keep callgrind's dumps in this directory")
    parser.add_argument("--no-callgrind", action="store_true",
                        help="run without valgrind (statements and the database's side only)")
    parser.add_argument("--template", default="",
                        help="first make --database afresh as a copy of this database, so that "
                             "runs before and after a change start from the same rows")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.template and not args.child:
        for sql in (f'DROP DATABASE IF EXISTS "{args.database}"',
                    f'CREATE DATABASE "{args.database}" TEMPLATE "{args.template}"'):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres",
                            "-qc", sql], check=True, capture_output=True)
    if args.child:
        child(args)
    elif args.no_callgrind:
        directory = Path(args.keep or tempfile.mkdtemp(prefix="actions_instructions."))
        args.child = str(directory)
        child(args)
        for name, info in json.loads((directory / "results.json").read_text()).items():
            print(f"\n== {name}: {info['statements']} statements; {info['database']}")
            for line in info.get("explain", []):
                print("   ", line)
    else:
        parent(args)


if __name__ == "__main__":
    main()
