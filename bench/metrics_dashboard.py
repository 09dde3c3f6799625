"""Benchmark: the province dashboard of the service index on PostgreSQL.

    .venv/bin/python bench/metrics_dashboard.py [--dossiers 100000] [--repeat 30] [--fresh]
                                                [--spread-slots 8] [--database NAME]

Creates (or reuses) the database `motcua_bench_metrics` on 127.0.0.1:5432, a province with 20
departments and 100 communes, 300 procedures, and `--dossiers` dossiers over the last 400 days
with realistic event histories (submit, accept, hand-offs, pauses, apologies, decision, return;
refusals, withdrawals, open and overdue dossiers), by bulk insert, and the step plan of each open
dossier (its current step is what the warning lists read). Builds the day and month counters
with `metrics_rebuild` (timed), then times what the province dashboard reads — the unit's report,
the ranking of its 121 children, the 12-month trend and the warning lists with their counts — for
each kind of period, and a department's drill-down list. Prints p50/p95 per case with the data
size and the machine. `--spread-slots N` times them with every counter key's counts dealt over N
slot rows, as many as live counting on PostgreSQL leaves at most (metrics/counters.py).
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "motcua_bench_metrics"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PROVINCE = "000.00.00.B99"


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
                   check=True, capture_output=True)


def prepare(fresh: bool) -> None:
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


def organisation():
    from accounts.models import Unit, User
    from catalog.models import Procedure, Variant

    province = Unit.objects.filter(code=PROVINCE).first()
    if province is None:
        province = Unit.objects.create(code=PROVINCE, name="UBND tỉnh Đo tải",
                                       kind=Unit.Kind.PROVINCE)
        Unit.objects.create(code="000.00.12.B99", name="Trung tâm PVHCC tỉnh Đo tải",
                            kind=Unit.Kind.CENTRE, parent=province, receives_dossiers=True)
        Unit.objects.bulk_create(
            [Unit(code=f"000.00.{20 + i}.B99", name=f"Sở số {i + 1}", parent=province,
                  kind=Unit.Kind.DEPARTMENT) for i in range(20)]
            + [Unit(code=f"000.{i + 1:02d}.{i // 99 + 31}.B99", name=f"UBND xã số {i + 1}",
                    parent=province, kind=Unit.Kind.COMMUNE, receives_dossiers=True)
               for i in range(100)])
    User.objects.get_or_create(username="bench.desk", defaults={"kind": User.Kind.STAFF})
    units = list(Unit.objects.filter(parent=province).exclude(kind=Unit.Kind.CENTRE))
    if not Procedure.objects.filter(code__startswith="B.").exists():
        levels = [Procedure.OnlineLevel.FULL, Procedure.OnlineLevel.PARTIAL,
                  Procedure.OnlineLevel.INFORMATION]
        procs = Procedure.objects.bulk_create([
            Procedure(code=f"B.{i:06d}", name=f"Thủ tục đo tải {i}", search_text=f"thu tuc {i}",
                      level=Procedure.Level.PROVINCE, competent_unit=units[i % len(units)],
                      online_level=levels[i % 3]) for i in range(300)])
        Variant.objects.bulk_create([Variant(procedure=p, name="Trường hợp chung")
                                     for p in procs])
    return province


def seed(total: int) -> None:
    """Bulk-load dossiers and their events (fast path, not through the services)."""
    from django.utils import timezone

    from accounts.models import Unit, User
    from catalog.models import Variant
    from dossiers.models import Dossier, DossierEvent, State

    have = Dossier.objects.filter(code__startswith="B99-").count()
    if have >= total:
        return
    centre = Unit.objects.get(code="000.00.12.B99")
    desk = User.objects.get(username="bench.desk")
    variants = list(Variant.objects.filter(procedure__code__startswith="B.")
                    .select_related("procedure"))
    rnd = random.Random(766 + have)
    now = timezone.now()
    batch, n = 5000, have
    while n < total:
        rows, plans = [], []
        for i in range(n, min(total, n + batch)):
            v = variants[rnd.randrange(len(variants))]
            online = v.procedure.online_level != "information" and rnd.random() < 0.55
            channel = 2 if online else (3 if rnd.random() < 0.05 else 1)
            submitted = now - timedelta(days=rnd.uniform(0, 400))
            received = submitted + timedelta(hours=rnd.uniform(0.1, 20))
            due = received + timedelta(days=rnd.choice([1, 3, 5, 7, 10, 15]))
            fate = rnd.random()
            d = Dossier(code=f"B99-{i:08d}", procedure=v.procedure, variant=v, channel=channel,
                        receiving_unit=centre, competent_unit=v.procedure.competent_unit,
                        current_unit=v.procedure.competent_unit, applicant_name=f"Người {i}",
                        submitted_at=submitted, created_by=desk, state=State.SUBMITTED)
            events = [("submit", submitted, "", State.SUBMITTED)]
            if fate < 0.02:
                d.state, d.closed_at = State.REFUSED, received
                events.append(("refuse", received, State.SUBMITTED, State.REFUSED))
            else:
                d.received_at, d.due_at, d.original_due_at = received, due, due
                events.append(("accept", received, State.SUBMITTED, State.RECEIVED))
                span = (due - received) * rnd.uniform(0.3, 1.3)
                t = received + span / 4
                events.append(("forward", t, State.RECEIVED, State.PROCESSING))
                if rnd.random() < 0.1:
                    events.append(("request_supplement", t + span / 8, State.PROCESSING,
                                   State.SUPPLEMENT_REQUESTED))
                    events.append(("supplement", t + span / 6, State.SUPPLEMENT_REQUESTED,
                                   State.PROCESSING))
                    d.due_at = due = due + span / 24
                late = received + span > due
                if late and rnd.random() < 0.5:
                    events.append(("apologize", t + span / 5, State.PROCESSING,
                                   State.PROCESSING))
                    d.apology_count, d.due_at = 1, due + timedelta(days=3)
                finish = received + span
                if finish > now or fate < 0.05:
                    d.state = State.PROCESSING
                    if fate < 0.03:
                        d.state, d.closed_at = State.WITHDRAWN, t + span / 4
                        events.append(("withdraw", d.closed_at, State.PROCESSING,
                                       State.WITHDRAWN))
                else:
                    events.append(("approve", finish - span / 10, State.PROCESSING,
                                   State.DECIDED))
                    events.append(("return_result", finish, State.DECIDED, State.RETURNED))
                    d.state, d.decided_at = State.RETURNED, finish - span / 10
                    d.returned_at = d.closed_at = finish
                    d.timing = ("late" if finish > due else
                                "early" if finish.date() < due.date() else "on_time")
            rows.append(d)
            plans.append(events)
        Dossier.objects.bulk_create(rows, batch_size=batch)
        ev = [DossierEvent(dossier=d, seq=s + 1, action=a, at=at, actor=desk, from_state=f,
                           to_state=to)
              for d, events in zip(rows, plans, strict=True)
              for s, (a, at, f, to) in enumerate(events)]
        DossierEvent.objects.bulk_create(ev, batch_size=batch)
        n += len(rows)
        print(f"  {n} dossiers", flush=True)


def seed_steps() -> int:
    """The step plan of every open dossier without one, its second step current (a specialist's).

    The warning lists read each running dossier's current step (its due moment and assignee).
    Step due moments split the time limit like the default plan (10 %, 60 %, 20 %, 10 %), on
    calendar time. Closed dossiers get four finished steps in one SQL statement.
    """
    from django.db import connection
    from django.db.models import OuterRef, Subquery

    from accounts.models import User
    from dossiers.models import Dossier, DossierStep
    from dossiers.services.planning import DEFAULT_STEPS
    from dossiers.states import OPEN_STATES

    desk = User.objects.get(username="bench.desk")
    unplanned = (Dossier.objects.filter(state__in=OPEN_STATES, current_step__isnull=True,
                                        due_at__isnull=False)
                 .values_list("pk", "received_at", "due_at", "receiving_unit_id",
                              "competent_unit_id"))
    steps = []
    for pk, received, due, desk_unit, unit in unplanned.iterator(chunk_size=5000):
        span, share = due - received, 0
        for order, (name, role, percent) in enumerate(DEFAULT_STEPS, start=1):
            share += percent
            steps.append(DossierStep(
                dossier_id=pk, order=order, name=name, role=role, share_percent=percent,
                unit_id=desk_unit if order in (1, 4) else unit,
                assignee=desk if order <= 2 else None,
                started_at=received if order <= 2 else None,
                finished_at=received + span * 0.05 if order == 1 else None,
                due_at=received + span * float(share) / 100))
    DossierStep.objects.bulk_create(steps, batch_size=5000)
    Dossier.objects.filter(state__in=OPEN_STATES, current_step__isnull=True,
                           due_at__isnull=False).update(current_step=Subquery(
                               DossierStep.objects.filter(dossier=OuterRef("pk"), order=2)
                               .values("pk")[:1]))
    # Closed dossiers: every step finished, the last one current, so that the step table has the
    # size it has in service (four rows a dossier). One statement each, in the database.
    with connection.cursor() as c:
        c.execute("""
            INSERT INTO dossiers_dossierstep (dossier_id, "order", name, role, unit_id,
                share_percent, started_at, due_at, finished_at, timing)
            SELECT d.id, g.n, 'Bước ' || g.n, 'specialist', d.competent_unit_id, 25,
                d.received_at, d.received_at + (d.due_at - d.received_at) * g.n / 4,
                d.closed_at, ''
            FROM dossiers_dossier d CROSS JOIN generate_series(1, 4) AS g(n)
            WHERE d.received_at IS NOT NULL AND d.due_at IS NOT NULL
              AND d.current_step_id IS NULL AND d.state <> ALL(%s)""", [list(OPEN_STATES)])
        c.execute("""
            UPDATE dossiers_dossier d SET current_step_id = s.id FROM dossiers_dossierstep s
            WHERE s.dossier_id = d.id AND s."order" = 4 AND d.current_step_id IS NULL""")
    return len(steps) // len(DEFAULT_STEPS)


def seed_outbox() -> tuple[int, int]:
    """The national-portal outbox as it stands in service: an acknowledged message for every
    received dossier, and a backlog — the dossiers received in the last two hours still
    pending, and one in a thousand stopped after failing. One SQL statement each, for the
    dossiers seeded since the last run (their ids are higher), so a database grown from 100,000
    to 1,000,000 dossiers has the outbox of 1,000,000."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT coalesce(max(dossier_id), 0) FROM sync_outboxmessage")
        last = c.fetchone()[0]
        c.execute("""
            INSERT INTO sync_outboxmessage (dossier_id, seq, kind, payload, is_update,
                idempotency_key, status, tries, next_try_at, last_error, claim_token, sent_at,
                created_at, competent_unit_id, received_at)
            SELECT id, 1, 'DongBoHoSoMC', '{}', false, code || ':1', 'sent', 1, received_at,
                '', '', received_at, received_at, competent_unit_id, received_at
            FROM dossiers_dossier WHERE received_at IS NOT NULL AND id > %s""", [last])
        c.execute("""
            INSERT INTO sync_outboxmessage (dossier_id, seq, kind, payload, is_update,
                idempotency_key, status, tries, next_try_at, last_error, claim_token,
                created_at, competent_unit_id, received_at)
            SELECT id, 2, 'CapNhatTienDoHoSoMC', '{}', true, code || ':2',
                CASE WHEN received_at > now() - interval '2 hours' THEN 'pending'
                     ELSE 'failed' END, 1, now(), '', '', received_at, competent_unit_id,
                received_at
            FROM dossiers_dossier
            WHERE id > %s AND (received_at > now() - interval '2 hours'
                               OR (received_at IS NOT NULL AND id %% 1000 = 7))""", [last])
        c.execute("SELECT count(*) FROM sync_outboxmessage WHERE status = 'sent'")
        sent = c.fetchone()[0]
        c.execute("SELECT count(*) FROM sync_outboxmessage WHERE status <> 'sent'")
        return sent, c.fetchone()[0]


def _columns(c, table: str) -> list[str]:
    c.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
              "AND column_name <> 'id' ORDER BY ordinal_position", [table])
    return [row[0] for row in c.fetchall()]


def grow_by_copy(total: int, base: int) -> None:
    """Reach `total` dossiers by copying the `base` generated ones — each with its events, steps
    and outbox messages, under a new code — in SQL, as many times as needed.

    Generating 10,000,000 histories in Python takes hours on this machine; copies keep the same
    distribution of dates, channels, outcomes, open and overdue dossiers and sync backlog, so the
    figures are ten times the 1,000,000 run's and every table has ten times the rows.
    """
    from django.db import connection, transaction

    def sub(cols: list[str], **replace: str) -> str:
        return ", ".join(replace.get(col, f'x."{col}"') for col in cols)

    def names(cols: list[str]) -> str:
        return ", ".join(f'"{col}"' for col in cols)

    copies = 0
    with connection.cursor() as c:
        dossier_cols = _columns(c, "dossiers_dossier")
        event_cols = _columns(c, "dossiers_dossierevent")
        step_cols = _columns(c, "dossiers_dossierstep")
        outbox_cols = _columns(c, "sync_outboxmessage")
        c.execute("SELECT count(*) FROM dossiers_dossier WHERE code LIKE 'B99-%%'")
        have = c.fetchone()[0]
        while have < total:
            copies_made = have // base  # copy k is coded B99-k########
            with transaction.atomic():
                # Copies of rows that hold their foreign keys, under ids mapped in this same
                # transaction: the deferred key checks (one per copied row, ten million a copy
                # at commit) are skipped for this transaction only.
                c.execute("SET LOCAL session_replication_role = replica")
                c.execute("""
                    CREATE TEMP TABLE dmap ON COMMIT DROP AS
                    SELECT id AS old, nextval(pg_get_serial_sequence('dossiers_dossier', 'id'))
                        AS new FROM dossiers_dossier
                    WHERE code ~ '^B99-[0-9]{8}$' ORDER BY id LIMIT %s""",
                          [min(base, total - have)])
                c.execute("CREATE UNIQUE INDEX ON dmap (old)")
                c.execute("""
                    CREATE TEMP TABLE smap ON COMMIT DROP AS
                    SELECT s.id AS old,
                        nextval(pg_get_serial_sequence('dossiers_dossierstep', 'id')) AS new
                    FROM dossiers_dossierstep s JOIN dmap m ON m.old = s.dossier_id""")
                c.execute("CREATE UNIQUE INDEX ON smap (old)")
                # Each copy points at the copy of its current step, numbered in advance.
                c.execute(f"""
                    INSERT INTO dossiers_dossier (id, {names(dossier_cols)})
                    SELECT m.new, {sub(dossier_cols, code=f"'B99-{copies_made}' || "
                                       "substr(x.code, 5)", current_step_id="sm.new")}
                    FROM dossiers_dossier x JOIN dmap m ON m.old = x.id
                    LEFT JOIN smap sm ON sm.old = x.current_step_id""")
                added = c.rowcount
                c.execute(f"""
                    INSERT INTO dossiers_dossierstep (id, {names(step_cols)})
                    SELECT sm.new, {sub(step_cols, dossier_id="m.new")}
                    FROM dossiers_dossierstep x JOIN smap sm ON sm.old = x.id
                    JOIN dmap m ON m.old = x.dossier_id""")
                c.execute(f"""
                    INSERT INTO dossiers_dossierevent ({names(event_cols)})
                    SELECT {sub(event_cols, dossier_id="m.new", step_id="sm.new")}
                    FROM dossiers_dossierevent x JOIN dmap m ON m.old = x.dossier_id
                    LEFT JOIN smap sm ON sm.old = x.step_id""")
                c.execute(f"""
                    INSERT INTO sync_outboxmessage ({names(outbox_cols)})
                    SELECT {sub(outbox_cols, dossier_id="m.new",
                                idempotency_key=f"'B99-{copies_made}' || "
                                                "substr(x.idempotency_key, 5)")}
                    FROM sync_outboxmessage x JOIN dmap m ON m.old = x.dossier_id""")
            have += added
            copies += 1
            print(f"  {have} dossiers (copy {copies})", flush=True)


def timed_together(cases: dict, repeat: int) -> dict[str, tuple[float, float]]:
    """p50 and p95 of each case, in ms. The cases take turns, `repeat` rounds, so that every
    case meets the machine in the same states (a shared 2-core machine drifts over minutes)."""
    for fn in cases.values():
        fn()  # warm the caches
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, fn in cases.items():
            t = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - t) * 1000)
    out = {}
    for name, got in samples.items():
        got.sort()
        out[name] = statistics.median(got), got[max(0, int(len(got) * 0.95) - 1)]
    return out


def spread_slots(slots: int) -> None:
    """Every counter key's slot-0 counts dealt over `slots` rows (slot k gets v // slots, plus
    one for k < v % slots): the sums the pages read stay the same, the rows they add up are as
    many as live counting on PostgreSQL makes at most (issue #18, metrics/counters.py)."""
    from django.db import connection

    from metrics.models import COUNTER_FIELDS, DailyCounter, MonthlyCounter

    with connection.cursor() as c:
        for model, key in ((DailyCounter, "day"), (MonthlyCounter, "month")):
            table = model._meta.db_table
            share = ", ".join(f"{f} / {slots} + (k < {f} % {slots})::int"
                              for f in COUNTER_FIELDS)
            c.execute(f"INSERT INTO {table} ({key}, unit_id, procedure_id, slot, "
                      f"{', '.join(COUNTER_FIELDS)}) SELECT {key}, unit_id, procedure_id, k, "
                      f"{share} FROM {table}, generate_series(1, {slots - 1}) k "
                      f"WHERE slot = 0")
            c.execute(f"UPDATE {table} SET " + ", ".join(
                f"{f} = {f} / {slots} + ({f} % {slots} > 0)::int" for f in COUNTER_FIELDS)
                + " WHERE slot = 0")


def main() -> None:
    global DB, URL
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--no-rebuild", action="store_true",
                        help="time the pages on the counters as they are (a second timing run)")
    parser.add_argument("--copy-from", type=int, default=0, metavar="N",
                        help="generate N dossiers, then reach --dossiers by copying them in SQL")
    parser.add_argument("--spread-slots", type=int, default=0, metavar="N",
                        help="after the rebuild, spread every counter key's counts over N slot "
                             "rows (the most live counting makes, metrics/counters.py)")
    parser.add_argument("--database", default=DB,
                        help="the bench database's name (one of its own for each runner)")
    args = parser.parse_args()
    if args.spread_slots > 1 and args.no_rebuild:
        parser.error("--spread-slots deals the rebuilt rows (one a key): not with --no-rebuild")
    DB, URL = args.database, f"postgres://postgres@127.0.0.1:5432/{args.database}"
    from bench.machine import describe

    prepare(args.fresh)
    province = organisation()
    started = time.perf_counter()
    generated = min(args.dossiers, args.copy_from or args.dossiers)
    seed(generated)
    planned = seed_steps()
    acknowledged, waiting = seed_outbox()
    if args.dossiers > generated:
        grow_by_copy(args.dossiers, generated)
        acknowledged, waiting = seed_outbox()
    seeded = time.perf_counter() - started

    from django.db import connection
    from django.utils import timezone

    from dossiers.models import Dossier, DossierEvent
    from metrics import selectors
    from metrics.counters import counters_rebuild
    from metrics.models import DailyCounter, MonthlyCounter
    from metrics.periods import Period, months_back
    from metrics.views import WARN_ROWS

    started = time.perf_counter()
    if not args.no_rebuild:
        counters_rebuild()
    rebuilt = time.perf_counter() - started
    if args.spread_slots > 1:
        spread_slots(args.spread_slots)
    with connection.cursor() as c:
        # What autovacuum does on a live database (it is off on the test cluster): statistics,
        # and the visibility map that lets the open-dossier counts read the index alone.
        c.execute("VACUUM ANALYZE")
        # The rebuild's writes flushed now rather than by a checkpoint in the middle of timing.
        c.execute("CHECKPOINT")
    now = timezone.now()
    today = timezone.localdate(now)
    dossiers, events = Dossier.objects.count(), DossierEvent.objects.count()
    print(f"metrics dashboard bench — {describe()}")
    print(f"PostgreSQL, {dossiers} dossiers, {events} events, "
          f"{DailyCounter.objects.count()} day rows, {MonthlyCounter.objects.count()} month rows; "
          f"seeding {seeded:.0f} s, "
          + ("counters as they were" if args.no_rebuild else f"metrics_rebuild {rebuilt:.1f} s"))
    lists = selectors.dossier_warning_lists(
        now=now, hours=8, unit_ids=selectors.unit_tree().scope(province.pk), limit=WARN_ROWS)
    print(f"running dossiers {Dossier.objects.filter(state__in=selectors.RUNNING_STATES).count()}"
          f" ({planned} step plans added now), late {lists.late_count}, "
          f"due soon or step late {len(lists.soon)}{'+' if lists.soon_more else ''}; "
          f"outbox: {acknowledged} acknowledged, "
          f"{waiting} waiting")

    periods = [Period("thang", today.year, today.month),
               Period("quy", today.year, (today.month - 1) // 3 + 1),
               Period("6thang", today.year), Period("9thang", today.year),
               Period("nam", today.year), Period("nam", today.year - 1)]

    def dashboard(period):
        def run():  # what metrics.views.dashboard reads
            tree = selectors.unit_tree()
            _own, children = selectors.unit_with_children(province, period, now, tree)
            selectors.ranked(children)
            selectors.unit_trend(province, months_back(period.last_day, 12), tree)
            selectors.dossier_warning_lists(now=now, hours=8, unit_ids=tree.scope(province.pk),
                                            limit=WARN_ROWS)
        return run

    cases = {f"province dashboard, {p.label}": dashboard(p) for p in periods}
    # The whole page as the chairman gets it: the same reads, plus the view, the template with
    # the ranking of 121 units and the SVG charts (HTML through Django's test client, no HTTP).
    from django.test import Client

    from accounts.models import Membership, Role, User

    chairman, _ = User.objects.get_or_create(username="bench.chairman",
                                             defaults={"kind": User.Kind.STAFF})
    Membership.objects.get_or_create(user=chairman, unit=province, role=Role.HEAD)
    client = Client()
    client.force_login(chairman)
    # A head confirms the sign-in with a second factor (accounts/second_factor.py); the bench's
    # session is verified the way django-otp records it, so every page passes the same check a
    # real chairman's does instead of stopping at the second-factor page.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=chairman, name="bench",
                                                 defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    for p in (periods[0], periods[4]):
        def page(p=p):
            response = client.get(f"/chi-so/?{p.query}")
            assert response.status_code == 200 and len(response.content) > 10_000
        cases[f"whole page (HTML), {p.label}"] = page
    # Where the time of the longest period goes, part by part.
    year = periods[-2]
    ids = selectors.unit_tree().scope(province.pk)  # None: the province holds every unit
    cases.update({
        f"  {year.label}: report of the province and its 121 children":
            lambda: selectors.unit_with_children(province, year, now),
        f"  {year.label}: 12-month trend":
            lambda: selectors.unit_trend(province, months_back(year.last_day, 12)),
        f"  {year.label}: warning lists (late, due soon)":
            lambda: selectors.dossier_warning_lists(now=now, hours=8, unit_ids=ids,
                                                    limit=WARN_ROWS),
        f"  {year.label}: sync backlog by unit":
            lambda: selectors.sync_waiting_by_unit(unit_ids=ids, period=year),
    })
    dept = selectors.unit_children(province)[1]
    dept_ids = selectors.unit_subtree_ids(dept.pk)
    for metric in ("received", "settled_late", "open_overdue", "not_synced"):
        def drill(metric=metric, period=periods[4]):
            qs = selectors.dossier_drill(unit_ids=dept_ids, period=period, metric=metric,
                                         now=now)
            qs.count()
            list(qs[:50])
        cases[f"drill-down {dept.name}, {metric}"] = drill
    print(f"{'case':45} {'p50 ms':>8} {'p95 ms':>8}")
    for name, (p50, p95) in timed_together(cases, args.repeat).items():
        print(f"{name:45} {p50:8.1f} {p95:8.1f}")

if __name__ == "__main__":
    main()
