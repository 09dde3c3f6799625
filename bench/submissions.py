"""Benchmark: dossier filing through the API against the stack's floor, on PostgreSQL + gunicorn.

    .venv/bin/python bench/submissions.py [--existing 1000000] [--copy-from 20000]
                                          [--seconds 10] [--rounds 3] [--connections 8]
                                          [--workers 4] [--rate 150] [--fresh]
                                          [--essential]

Creates (or reuses) the database `motcua_bench_submissions` on 127.0.0.1:5432, loads the demo
organisation, fills it with `--existing` dossiers (each with its events: `--copy-from` of them
generated through the ORM, the rest copied in SQL, doubling, as bench/metrics_dashboard.py does),
starts gunicorn with production settings plus one bench-only URL (bench/trivial_settings.py:
`POST /bench/trivial/`, an authenticated DRF write of one row) and runs bench/loadgen.py in a
second process, interleaved: `--rounds` times the filing (each request files a dossier and
accepts it at once, `accept: true`) then the trivial write, each as fast as the server answers.
Prints each run, the medians and their ratio (the filing's share of the floor), then one filing
run at a fixed rate (`--rate`) with its latencies. Both writes run in the same server processes,
minutes apart, so the machine's load weighs on both alike: the ratio is the figure to compare.

With `--essential`, the essential forward (`POST /bench/essential/<code>/forward/`,
bench/essential.py: the least a forward could be on this stack — the real forward's three
statements through plain cursors, the same rows, the same answer) on half of the received
dossiers beside the real forward: the forward's floor beside the stack's; likewise the essential
approval (`POST /bench/essential/<code>/approve/`) on half of the dossiers at the head's step,
and the essential return of the result (`POST /bench/essential/<code>/return_result/`, both
bench/essential_actions.py) on half of the dossiers whose result is ready.
And in each round, after the filing's and its trivial write's runs, the essential filing
(`POST /bench/essential/dossiers/`, bench/essential_filing.py: the real filing's statements, the
same body, rows and answer) followed by a trivial-write run of its own, and after the filing's
fixed-rate run one of the essential filing at the same `--rate`: the filing's floor beside the
stack's (the "trivial write" median then counts those runs too).

Then the hot actions through the API (`--actions`, on by default), each on dossiers the filing
runs created, each dossier once: forward (the desk hands a received dossier to the next step),
approve without signing (the head of the competent unit, at the head's step: the result is
issued unsigned, its PDF rendered after the commit), return of the result (the desk). Between
them the bench moves the dossiers on in its own process (the specialist's steps; the worker's
rendering of the approved results, timed and printed apart; "result ready"), not measured as
requests.

How an action's ratio is taken (issue #18): an action's run is short (an approval's 750 requests
took 4 s) and the machine's speed sags and recovers within a minute, so a run held against the
median of every trivial-write run of the bench (six minutes apart) moved by half between runs.
Each action's dossiers, and its floor's, are therefore run in `--windows` windows (default 5),
each followed by a trivial-write window of `--trivial-window` seconds (A/B/A/B), the floor's
window before the action's in even windows and after it in odd ones; the action's rate is its
windows' requests over their time, held against the trivial write's over its windows between
them (printed, with the older ratio to the median of every run beside it). Before the windows,
`--action-warm` dossiers of each are sent unmeasured (every worker's first requests of an action
compile its statements and fill its caches, as the warm-up does for the filing and the trivial
write). The requests and the rows are the same as before; with `--action-pool 3000` an approval's
windows hold 1,500 requests of each.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    """A port nobody listens on now, so two runs (an A/B pair from two checkouts) never meet."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = int(os.environ.get("MOTCUA_BENCH_PORT") or free_port())
DB = "motcua_bench_submissions"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
                   check=True, capture_output=True)


def prepare(existing: int, fresh: bool, copy_from: int) -> None:
    if fresh:
        psql(f"DROP DATABASE IF EXISTS {DB}")
    try:
        psql(f"CREATE DATABASE {DB}")
    except subprocess.CalledProcessError:
        pass
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    # The setup (demo data, keys) runs as the demo does; settings default to production.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from dossiers.models import Dossier

    if not Dossier.objects.exists():
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    seed(min(existing, copy_from or existing))
    grow_by_copy(existing)


def seed(existing: int) -> None:
    """Bulk-load past dossiers (fast path, not through the services) so tables have real size."""
    from django.utils import timezone

    from accounts.models import Unit, User
    from catalog.models import Variant
    from dossiers.models import Dossier, DossierEvent, State

    have = Dossier.objects.count()
    if have >= existing:
        print(f"existing dossiers: {have}")
        return
    unit = Unit.objects.get(code="000.00.12.H56")
    desk = User.objects.get(username="tiepnhan")
    variant = Variant.objects.filter(procedure__competent_unit__isnull=False,
                                     time_limits__channel=1).select_related("procedure").first()
    now = timezone.now()
    batch = 5000
    n = have
    while n < existing:
        rows = []
        for i in range(n, min(existing, n + batch)):
            day = now - timedelta(days=400 + i // 300)
            rows.append(Dossier(
                code=f"{unit.code}-{day:%y%m%d}-{i % 300 + 1:04d}-B{i}",
                procedure=variant.procedure, variant=variant, channel=1 + i % 3,
                state=State.RETURNED, receiving_unit=unit,
                competent_unit=variant.procedure.competent_unit, current_unit=unit,
                applicant_name=f"Người nộp {i}", applicant_id_number=f"056090{i:06d}"[:12],
                submitted_at=day, received_at=day, due_at=day + timedelta(days=3),
                returned_at=day + timedelta(days=2), closed_at=day + timedelta(days=2),
                timing="early", created_by=desk))
        Dossier.objects.bulk_create(rows, batch_size=batch)
        events = []
        for d in rows:
            events.append(DossierEvent(dossier=d, seq=1, action="submit", at=d.submitted_at,
                                       actor=desk, actor_name=desk.display_name, from_state="",
                                       to_state=State.SUBMITTED))
            events.append(DossierEvent(dossier=d, seq=2, action="return_result",
                                       at=d.returned_at, actor=desk,
                                       actor_name=desk.display_name,
                                       from_state=State.RESULT_READY, to_state=State.RETURNED))
        DossierEvent.objects.bulk_create(events, batch_size=batch)
        n += len(rows)
    print(f"existing dossiers: {Dossier.objects.count()}")


def grow_by_copy(total: int) -> None:
    """Reach `total` dossiers by copying the existing ones with their events, in SQL, doubling
    each round; a copy's code is `C<its id>`."""
    from django.db import connection, transaction

    def columns(c, table: str) -> list[str]:
        c.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                  "AND column_name <> 'id' ORDER BY ordinal_position", [table])
        return [row[0] for row in c.fetchall()]

    with connection.cursor() as c:
        dossier_cols = columns(c, "dossiers_dossier")
        event_cols = columns(c, "dossiers_dossierevent")
        c.execute("SELECT count(*) FROM dossiers_dossier")
        have = c.fetchone()[0]
        rounds = 0
        while have < total:
            rounds += 1
            with transaction.atomic():
                # The copies hold keys mapped in this transaction: the deferred key checks are
                # skipped for it alone.
                c.execute("SET LOCAL session_replication_role = replica")
                c.execute("""
                    CREATE TEMP TABLE dmap ON COMMIT DROP AS
                    SELECT id AS old, nextval(pg_get_serial_sequence('dossiers_dossier', 'id'))
                        AS new FROM dossiers_dossier
                    WHERE state = 'returned' AND current_step_id IS NULL ORDER BY id
                    LIMIT %s""", [total - have])
                c.execute("CREATE UNIQUE INDEX ON dmap (old)")
                d_names = ", ".join(f'"{col}"' for col in dossier_cols)
                d_values = ", ".join(
                    "'C' || m.new" if col == "code" else f'x."{col}"'
                    for col in dossier_cols)
                c.execute(f"INSERT INTO dossiers_dossier (id, {d_names}) "
                          f"SELECT m.new, {d_values} FROM dossiers_dossier x "
                          "JOIN dmap m ON m.old = x.id")
                added = c.rowcount
                e_names = ", ".join(f'"{col}"' for col in event_cols)
                e_values = ", ".join("m.new" if col == "dossier_id" else f'x."{col}"'
                                     for col in event_cols)
                c.execute(f"INSERT INTO dossiers_dossierevent ({e_names}) "
                          f"SELECT {e_values} FROM dossiers_dossierevent x "
                          "JOIN dmap m ON m.old = x.dossier_id")
            have += added
            print(f"  {have:,} dossiers (copy round {rounds})", flush=True)
        # VACUUM too, not only ANALYZE: a freshly copied table has no visibility map and no hint
        # bits, which the first runs then pay for (a run on a fresh copy fell with its floors).
        c.execute("VACUUM ANALYZE")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def main() -> None:
    global DB, URL
    parser = argparse.ArgumentParser()
    parser.add_argument("--existing", type=int, default=1_000_000)
    parser.add_argument("--copy-from", type=int, default=20_000, metavar="N",
                        help="generate N dossiers, then reach --existing by copying them in SQL")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rate", type=float, default=150,
                        help="the fixed-rate run's filings a second (0: skip it)")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--no-actions", dest="actions", action="store_false",
                        help="skip the forward / approve / return runs")
    parser.add_argument("--essential", action="store_true",
                        help="also run the essential forward, approval and return "
                             "(bench/essential.py, bench/essential_actions.py), each on half of "
                             "its action's dossiers, and the essential filing "
                             "(bench/essential_filing.py) in each round and at --rate")
    parser.add_argument("--action-pool", type=int, default=1500,
                        help="dossiers moved on for each action run at most")
    parser.add_argument("--windows", type=int, default=5,
                        help="each action's dossiers (and its floor's) run in this many windows, "
                             "each followed by a trivial-write window (A/B/A/B)")
    parser.add_argument("--trivial-window", type=float, default=3, metavar="SECONDS",
                        help="the trivial-write window after each action window")
    parser.add_argument("--action-warm", type=int, default=24, metavar="N",
                        help="dossiers of each action (and of its floor) sent unmeasured before "
                             "its windows: the workers' first requests of it")
    parser.add_argument("--database", default=DB,
                        help="the bench database's name (one of its own for each runner)")
    parser.add_argument("--prepare-only", action="store_true",
                        help="build the database and stop (a later run reuses it)")
    args = parser.parse_args()
    DB, URL = args.database, f"postgres://postgres@127.0.0.1:5432/{args.database}"
    from bench.machine import describe

    prepare(args.existing, args.fresh, args.copy_from)
    if args.prepare_only:
        return
    from django.db import connection

    from accounts.models import User
    from accounts.tokens import token_issue
    from catalog.models import Variant
    from dossiers.models import Dossier

    existing = Dossier.objects.count()
    token = token_issue(User.objects.get(username="tiepnhan"))
    variant = Variant.objects.filter(procedure__competent_unit__isnull=False,
                                     time_limits__channel=1).first()
    docs = [{"required_document": d.pk} for d in variant.documents.filter(optional=False)]
    filing = json.dumps({"variant": variant.pk, "channel": 1, "accept": True, "documents": docs,
                         "applicant": {"kind": 1, "name": "Trần Thị Bích",
                                       "id_number": "056185004321"}})
    trivial = json.dumps({"key": "bench"})
    connection.close()
    # The server runs as production does (DEBUG off), with a key of its own for this run, and
    # the one bench-only URL.
    env = dict(os.environ, DATABASE_URL=URL, DJANGO_DEBUG="0",
               DJANGO_SETTINGS_MODULE="bench.trivial_settings",
               DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DATABASE_CONN_MAX_AGE="600",
               # "Approve without signing": the bench has no agency certificate, so the result
               # is issued unsigned (results/signing.py) instead of the approval refused.
               MOTCUA_SIGNING_REQUIRED="0")
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "motcua.wsgi", "-b", f"127.0.0.1:{PORT}",
         "-w", str(args.workers), "--access-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL)

    def load(path: str, body: str, seconds: float, rate: float = 0, key: str = "",
             paths: list[str] | None = None) -> dict:
        more = []
        if paths is not None:
            listing = ROOT / "var" / f"bench-paths-{os.getpid()}.txt"
            listing.parent.mkdir(exist_ok=True)
            listing.write_text("\n".join(paths))
            more = ["--paths-file", str(listing), "--ok-status", "200"]
        out = subprocess.run([sys.executable, str(ROOT / "bench/loadgen.py"), "--host",
                              f"127.0.0.1:{PORT}", "--token",
                              key or token, "--body", body, "--path", path, "--seconds",
                              str(seconds), "--connections", str(args.connections), "--rate",
                              str(rate), *more], capture_output=True, text=True, check=True)
        if paths is not None:
            listing.unlink(missing_ok=True)
        return json.loads(out.stdout)

    load_before = os.getloadavg()
    runs: dict[str, list[dict]] = {"filing": [], "trivial": [], "essential filing": []}
    steady = steady_floor = None
    actions: dict[str, dict] = {}
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/procedures/?limit=1")
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(f"gunicorn exited with {server.returncode}") from None
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer in 120 s")
        # Warm both paths in every worker (imports, caches, connections).
        load("/api/v1/dossiers/", filing, 3)
        load("/bench/trivial/", trivial, 3)
        if args.essential:
            load("/bench/essential/dossiers/", filing, 3)
        for _ in range(args.rounds):
            runs["filing"].append(load("/api/v1/dossiers/", filing, args.seconds))
            runs["trivial"].append(load("/bench/trivial/", trivial, args.seconds))
            if args.essential:
                # The filing's floor (bench/essential_filing.py), the same body, in the same
                # round, followed by a trivial-write run of its own.
                runs["essential filing"].append(
                    load("/bench/essential/dossiers/", filing, args.seconds))
                runs["trivial"].append(load("/bench/trivial/", trivial, args.seconds))
        if args.rate:
            steady = load("/api/v1/dossiers/", filing, args.seconds, args.rate)
            if args.essential:
                steady_floor = load("/bench/essential/dossiers/", filing, args.seconds,
                                    args.rate)
        if args.actions:
            actions = action_runs(load, args, variant, trivial, runs)
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(f"machine: {describe()}; load average before the runs "
          f"{' '.join(f'{x:.2f}' for x in load_before)}")
    print(f"data: {existing:,} existing dossiers on PostgreSQL; gunicorn {args.workers} sync "
          f"workers; load generator in a second process, {args.connections} keep-alive "
          f"connections, {args.seconds:.0f} s a run, {args.rounds} rounds interleaved")
    for name, title in (("filing", "filing (POST /api/v1/dossiers/, accept: true)"),
                        ("trivial", "trivial write (POST /bench/trivial/, one row)")):
        for r in runs[name]:
            print(f"{title}: {r['ok']} ok, {r['errors']} errors {r['first_errors']}; "
                  f"{r['per_second']:.1f}/s; latency ms p50 {r['p50']:.1f}  p95 {r['p95']:.1f}  "
                  f"p99 {r['p99']:.1f}")
    f = median([r["per_second"] for r in runs["filing"]])
    t = median([r["per_second"] for r in runs["trivial"]])
    print(f"median: filing {f:.1f}/s, trivial write {t:.1f}/s; filing = {100 * f / t:.1f} % "
          "of the trivial write")
    if steady is not None:
        print(f"filing at a fixed {args.rate:g}/s: {steady['ok']} ok, {steady['errors']} errors; "
              f"{steady['per_second']:.1f}/s; latency ms p50 {steady['p50']:.1f}  "
              f"p95 {steady['p95']:.1f}  p99 {steady['p99']:.1f}")
    if runs["essential filing"]:
        for r in runs["essential filing"]:
            print(f"essential filing (POST /bench/essential/dossiers/): {r['ok']} ok, "
                  f"{r['errors']} errors {r['first_errors']}; {r['per_second']:.1f}/s; latency "
                  f"ms p50 {r['p50']:.1f}  p95 {r['p95']:.1f}  p99 {r['p99']:.1f}")
        e = median([r["per_second"] for r in runs["essential filing"]])
        print(f"median: essential filing {e:.1f}/s = {100 * e / t:.1f} % of the trivial write; "
              f"filing = {100 * f / e:.1f} % of its floor")
    if steady_floor is not None:
        r = steady_floor
        print(f"essential filing at a fixed {args.rate:g}/s: {r['ok']} ok, {r['errors']} errors;"
              f" {r['per_second']:.1f}/s; latency ms p50 {r['p50']:.1f}  p95 {r['p95']:.1f}  "
              f"p99 {r['p99']:.1f}")
    render = actions.pop("render", None)
    if render and render["rendered"]:
        n = render["rendered"]
        print(f"the worker's rendering of the approved results, after the approve run (in the "
              f"bench process): {n} results, {render['cpu_ms'] / n:.1f} ms CPU and "
              f"{render['wall_ms'] / n:.1f} ms wall each")
    for action, r in actions.items():
        where = ("/bench/essential/<code>/forward/" if action == "essential forward"
                 else "/bench/essential/<code>/approve/" if action == "essential approve"
                 else "/bench/essential/<code>/return_result/" if action == "essential return"
                 else f"/api/v1/dossiers/<code>/actions/{action}/")
        floor = actions.get({"forward": "essential forward", "approve": "essential approve",
                             "return_result": "essential return"}.get(action, ""))
        print(f"{action} (POST {where}): {r['ok']} ok in {r['windows']} windows, "
              f"{r['errors']} errors {r['first_errors']}; {r['per_second']:.1f}/s; latency ms "
              f"p50 {r['p50']:.1f}  p95 {r['p95']:.1f}  p99 {r['p99']:.1f}; "
              f"= {100 * r['per_second'] / r['trivial']:.1f} % of the trivial write between "
              f"its windows ({r['trivial']:.1f}/s; {100 * r['per_second'] / t:.1f} % of the "
              "median of every run)"
              + (f"; {100 * r['per_second'] / floor['per_second']:.1f} % of its floor"
                 if floor else ""))
    if actions:
        t_all = median([r["per_second"] for r in runs["trivial"]])
        print(f"trivial write over all {len(runs['trivial'])} runs: median {t_all:.1f}/s")
    print(f"load average after the runs {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _moved_on(dossiers, until, limit: int) -> list:
    """Move each dossier on in this process (dossier_act, as the step's officer would) until
    `until(dossier)`; the ones that got there, at most `limit`. At the specialist's step the
    specialist drafts the result from the procedure's template first, as an office does before
    the head signs (results/drafting.py): `d.result_draft` is the version to approve."""
    from accounts.models import Membership
    from catalog.models import Step
    from dossiers.services import dossier_act
    from dossiers.services.transitions import STEP_ROLE_ACTOR
    from results.drafting import draft_from_template, may_draft
    from results.services import result_drafted

    actors: dict[tuple, object] = {}
    done = []
    for d in dossiers:
        for _ in range(10):
            if until(d):
                if getattr(d, "result_draft", None) is None:
                    d.result_draft = d.result_drafts.order_by("-version").first()
                # One left at the head's step without a draft (an earlier run's) cannot be
                # approved where the result is drafted: not taken.
                if d.result_draft is not None or not result_drafted(d):
                    done.append(d)
                break
            step = d.current_step
            key = (step.unit_id, STEP_ROLE_ACTOR[step.role])
            if key not in actors:
                actors[key] = Membership.objects.filter(unit_id=key[0], role=key[1]).first().user
            if step.role == Step.Role.SPECIALIST and may_draft(d, actors[key]):
                d.result_draft = draft_from_template(dossier=d, actor=actors[key])
            draft = getattr(d, "result_draft", None)
            d = dossier_act(dossier=d, actor=actors[key], action="forward")
            d.result_draft = draft
        if len(done) >= limit:
            break
    return done


def _chunks(items: list, n: int) -> list[list]:
    """`items` in `n` consecutive parts as equal as can be (none empty unless `items` is)."""
    n = max(1, min(n, len(items)))
    size, extra = divmod(len(items), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (i < extra)
        out.append(items[start:end])
        start = end
    return out


def _joined(parts: list[dict]) -> dict:
    """One action's windows as one run: requests and seconds summed, so its rate is every
    window's requests over every window's time; latencies the median of the windows' p50 and
    the highest of their p95 and p99."""
    ok = sum(r["ok"] for r in parts)
    seconds = sum(r["seconds"] for r in parts)
    return {"ok": ok, "errors": sum(r["errors"] for r in parts),
            "first_errors": [e for r in parts for e in r["first_errors"]][:3],
            "seconds": seconds, "per_second": ok / seconds if seconds else 0.0,
            "p50": median([r["p50"] for r in parts]), "p95": max(r["p95"] for r in parts),
            "p99": max(r["p99"] for r in parts), "windows": len(parts)}


def action_runs(load, args, variant, trivial: str, runs: dict) -> dict[str, dict]:
    """Forward, approve (unsigned), return the result: each on dossiers of the filing runs, once.

    Each action's dossiers (and, with --essential, its floor's) are run in `--windows` windows,
    each followed by a trivial-write window of `--trivial-window` seconds (A/B/A/B): the machine's
    speed sags and recovers within a minute (a 750-request approval run took 4 s; the median of
    every trivial run of the bench spread over six minutes), so each action is held against the
    trivial write measured between its own windows, and its floor's windows alternate with its
    own (floor first in the even windows, last in the odd ones). Before the windows, `--action-warm`
    dossiers of each (the floor's and the action's) are sent unmeasured: every worker's first
    requests of an action compile its statements and fill its caches, as the filing's and the
    trivial write's warm-up does for them. The same requests on the same rows as before: only
    when each is timed and what it is divided by changed."""
    from accounts.models import Membership, User
    from accounts.tokens import token_issue
    from catalog.models import Step
    from dossiers.models import Dossier, State
    from dossiers.services import dossier_act

    desk = User.objects.get(username="tiepnhan")
    desk_key = token_issue(desk)
    out: dict[str, dict] = {}
    real_path = "/api/v1/dossiers/{}/actions/{}/"
    floor_path = "/bench/essential/{}/{}/"

    def lines(path: str, action: str, codes: list[str], bodies: dict[str, str] | None):
        return [path.format(c, action) + (f"\t{bodies[c]}" if bodies else "") for c in codes]

    def measured(action: str, codes: list[str], key: str, body: str = "{}",
                 bodies: dict[str, str] | None = None) -> None:
        """`action` on `codes`: with --essential its floor on the first half, the real path on
        the second, in interleaved windows with the trivial write (above)."""
        floor: list[str] = []
        if args.essential:
            half = len(codes) // 2
            floor, codes = codes[half:], codes[:half]
        warm = args.action_warm
        if warm and len(codes) > 2 * warm:
            # Unmeasured: each worker's first requests of the action (and of its floor).
            if floor:
                load("", body, args.seconds, key=key,
                     paths=lines(floor_path, action, floor[:warm], bodies))
                floor = floor[warm:]
            load("", body, args.seconds, key=key, paths=lines(real_path, action, codes[:warm],
                                                                 bodies))
            codes = codes[warm:]
        names = (f"essential {action}" if action != "return_result" else "essential return",
                 action)
        print(f"  {action}: {len(codes)} dossiers ready" + (f", its floor {len(floor)}"
                                                            if floor else "")
              + f", {args.windows} windows", flush=True)
        parts: dict[str, list[dict]] = {names[0]: [], names[1]: [], "trivial": []}
        for i, (real_part, floor_part) in enumerate(zip_longest(
                _chunks(codes, args.windows), _chunks(floor, args.windows), fillvalue=[])):
            order = [(names[1], real_path, real_part)]
            if floor_part:
                order.insert(0 if i % 2 == 0 else 1, (names[0], floor_path, floor_part))
            for name, path, part in order:
                if part:
                    parts[name].append(load("", body, args.seconds, key=key,
                                            paths=lines(path, action, part, bodies)))
            parts["trivial"].append(load("/bench/trivial/", trivial, args.trivial_window))
        beside = _joined(parts["trivial"])
        for name in names:
            if parts[name]:
                out[name] = dict(_joined(parts[name]), trivial=beside["per_second"])
        # The filing's ratio is taken over every trivial-write run: these windows count as one.
        runs["trivial"].append(beside)

    def ours():
        return (Dossier.objects.filter(variant=variant, created_by=desk)
                .exclude(code__startswith="C").select_related("current_step__unit")
                .order_by("-id"))

    received = list(ours().filter(state=State.RECEIVED).values_list("code", flat=True)
                    [:args.action_pool * 4])
    # The essential floor of a forward (bench/essential.py: the real forward's three statements,
    # the same rows and answer) on half of the received dossiers.
    measured("forward", received, desk_key)
    # The dossiers the forward run moved, and more of the filed ones, to the head's step.
    at_head = _moved_on(ours().filter(state__in=[State.PROCESSING, State.RECEIVED])
                        .order_by("state", "-id")[:args.action_pool],
                        lambda d: d.current_step.role == Step.Role.HEAD, args.action_pool)
    if at_head:
        step = at_head[0].current_step
        head = Membership.objects.filter(unit_id=step.unit_id, role="head").first().user
        # Each approval names its dossier's latest draft (an approval without one is refused
        # where the procedure's result is drafted, docs/results.md). The approval's essential
        # floor (bench/essential_actions.py: the real approval's three statements, the same
        # rows, stored result and answer) on half.
        head_key = token_issue(head)
        bodies = {d.code: json.dumps({"data": {"result_draft": d.result_draft.pk}}
                                     if d.result_draft else {}) for d in at_head}
        measured("approve", [d.code for d in at_head], head_key, bodies=bodies)
        # The results the approvals issued are rendered after their commit by the worker
        # (results/rendering.py, `manage.py results_render`), here in this process between the
        # runs, timed apart: not part of the approval's request, but work the machine does.
        from results.rendering import results_render_pending

        cpu, wall, rendered = time.process_time(), time.perf_counter(), 0
        while done := results_render_pending(batch=100):
            rendered += done
        out["render"] = {"rendered": rendered, "cpu_ms": 1000 * (time.process_time() - cpu),
                         "wall_ms": 1000 * (time.perf_counter() - wall)}
    ready = []
    for d in ours().filter(state=State.DECIDED)[:args.action_pool]:
        ready.append(dossier_act(dossier=d, actor=desk, action="mark_result_ready").code)
    # Returning needs the hand-over record (who received it, the paper shown, how). The essential
    # floor of the return (bench/essential_actions.py: the real return's three statements, the
    # same rows, counters and answer) on half of them.
    handed = json.dumps({"data": {"receiver": {"method": "desk",
                                               "paper": "CCCD số 056185004321"}}})
    measured("return_result", ready, desk_key, handed)
    return out


if __name__ == "__main__":
    main()
