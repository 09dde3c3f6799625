"""Benchmark: dossier submissions through the API on PostgreSQL behind gunicorn.

    .venv/bin/python bench/submissions.py [--existing 100000] [--seconds 20] [--connections 8]
                                          [--workers 4] [--rate R] [--fresh]

Creates (or reuses) the database `motcua_bench` on 127.0.0.1:5432, loads the demo organisation,
fills it with `--existing` dossiers (each with its steps and events), starts gunicorn, and runs
bench/loadgen.py in a second process twice: as fast as the server answers (its throughput), then
at a fixed rate (`--rate`, by default half that throughput: the latency at a load the server
carries). Prints throughput and p50/p95/p99 latency of both runs.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8799
DB = "motcua_bench"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
                   check=True, capture_output=True)


def prepare(existing: int, fresh: bool) -> None:
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
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    seed(existing)


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--existing", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rate", type=float, default=0,
                        help="the fixed-rate run's submissions a second (default: half the "
                             "throughput measured first)")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    from bench.machine import describe

    prepare(args.existing, args.fresh)
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from catalog.models import Variant

    token, _ = Token.objects.get_or_create(user=User.objects.get(username="tiepnhan"))
    variant = Variant.objects.filter(procedure__competent_unit__isnull=False,
                                     time_limits__channel=1).first()
    docs = [{"required_document": d.pk} for d in variant.documents.filter(optional=False)]
    body = json.dumps({"variant": variant.pk, "channel": 1, "accept": True, "documents": docs,
                       "applicant": {"kind": 1, "name": "Trần Thị Bích",
                                     "id_number": "056185004321"}})
    connection.close()
    # The server runs as production does (DEBUG off), with a key of its own for this run.
    env = dict(os.environ, DATABASE_URL=URL, DJANGO_DEBUG="0",
               DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
               DATABASE_CONN_MAX_AGE="600")
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "motcua.wsgi", "-b", f"127.0.0.1:{PORT}",
         "-w", str(args.workers), "--access-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/procedures/?limit=1")
                break
            except OSError:
                time.sleep(0.2)
        warm = subprocess.run([sys.executable, str(ROOT / "bench/loadgen.py"), "--token",
                               token.key, "--body", body, "--seconds", "3", "--connections",
                               str(args.connections)], capture_output=True, text=True, check=True)
        del warm

        def load(rate: float) -> dict:
            out = subprocess.run([sys.executable, str(ROOT / "bench/loadgen.py"), "--token",
                                  token.key, "--body", body, "--seconds", str(args.seconds),
                                  "--connections", str(args.connections), "--rate", str(rate)],
                                 capture_output=True, text=True, check=True)
            return json.loads(out.stdout)

        fastest = load(0)
        rate = args.rate or max(1, round(fastest["per_second"] / 2))
        steady = load(rate)
    finally:
        server.terminate()
        server.wait(10)
    print(f"machine: {describe()}")
    print(f"data: {args.existing:,} existing dossiers on PostgreSQL; gunicorn {args.workers} "
          f"sync workers; load generator in a second process, {args.connections} keep-alive "
          f"connections, {args.seconds:.0f} s a run; each request creates and accepts a dossier")
    for title, r in (("as fast as answered", fastest), (f"fixed rate {rate:g}/s", steady)):
        print(f"{title}: {r['ok']} ok, {r['errors']} errors {r['first_errors']}; "
              f"{r['per_second']:.1f} submissions/s; latency ms p50 {r['p50']:.1f}  "
              f"p95 {r['p95']:.1f}  p99 {r['p99']:.1f}")


if __name__ == "__main__":
    main()
