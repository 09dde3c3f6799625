"""Benchmark: national-portal sync throughput and lag, against the national mode on localhost.

    .venv/bin/python bench/sync.py [--backlog 500] [--rate 20] [--seconds 15] [--workers 2]

Both sides run on SQLite files in a temporary directory: the national mode behind gunicorn, the
provincial side's `manage.py sync_worker` processes (`--workers`). Two phases:

1. throughput: `--backlog` dossiers are filed and accepted (4 messages each) while no worker
   runs; then the workers start and the time to deliver everything gives messages per second;
2. lag: workers running, dossiers are filed at `--rate` per second for `--seconds`; the lag of
   each message is from its change (created_at) to the portal's acknowledgement (sent_at).
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
UNIT_CODE, USERNAME, PASSWORD = "000.00.00.H99", "bench", "bench-Password-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def organisation():
    from accounts.models import Membership, Role, Unit, User
    from catalog.models import Procedure, RequiredDocument, TimeLimit, Variant

    centre = Unit.objects.create(code="000.00.12.H99", name="Trung tâm PVHCC (bench)",
                                 kind=Unit.Kind.CENTRE, receives_dossiers=True)
    desk = User.objects.create_user("bench.desk", password=PASSWORD, kind=User.Kind.STAFF)
    Membership.objects.create(user=desk, unit=centre, role=Role.RECEIVING)
    procedure = Procedure.objects.create(code="1.000001", name="Thủ tục đo hiệu năng",
                                         level=Procedure.Level.PROVINCE, competent_unit=centre)
    variant = Variant.objects.create(procedure=procedure, name="Trường hợp chung")
    TimeLimit.objects.create(variant=variant, channel=1, amount=Decimal(3), unit="working_days")
    doc = RequiredDocument.objects.create(variant=variant, name="Tờ khai", count=1, order=1)
    return desk, centre, variant, doc


def file_dossier(desk, centre, variant, doc) -> None:
    from dossiers.services import dossier_create

    dossier_create(actor=desk, variant=variant, channel=1, receiving_unit=centre,
                   applicant={"kind": 1, "name": "Nguyễn Văn Thử", "id_number": "001085012345"},
                   documents=[{"required_document": doc.pk}], accept=True)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backlog", type=int, default=500)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="motcua-sync-bench-"))
    port = free_port()
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # Both sides run with the demo's settings (DEBUG): the settings default to production.
    base.setdefault("DJANGO_DEBUG", "1")
    national = base | {"MOTCUA_MODE": "national", "DATABASE_URL": f"sqlite:///{tmp}/n.sqlite3"}
    province = base | {
        "MOTCUA_MODE": "province", "DATABASE_URL": f"sqlite:///{tmp}/p.sqlite3",
        "MOTCUA_PORTAL_URL": f"http://127.0.0.1:{port}/api/v1/cong-quoc-gia/",
        "MOTCUA_PORTAL_USERNAME": USERNAME, "MOTCUA_PORTAL_PASSWORD": PASSWORD,
        "MOTCUA_PORTAL_UNIT_CODE": UNIT_CODE,
    }
    manage(national, "migrate", "--noinput")
    manage(national, "sync_installation", UNIT_CODE, "--name", "Bench", "--username", USERNAME,
           "--password", PASSWORD, "--province", "99")
    manage(province, "migrate", "--noinput")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "motcua.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--threads", "8"], cwd=ROOT, env=national,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ.update(province)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.db.models import Max, Min

    from sync.models import OutboxMessage

    workers: list[subprocess.Popen] = []

    def start_workers() -> None:
        for _ in range(args.workers):
            workers.append(subprocess.Popen(
                [sys.executable, "manage.py", "sync_worker", "--batch", "100", "--sleep", "0.05"],
                cwd=ROOT, env=province, stdout=subprocess.DEVNULL))

    def wait_drained(limit: float) -> None:
        deadline = time.monotonic() + limit
        while OutboxMessage.objects.exclude(status="sent").exists():
            if time.monotonic() > deadline:
                raise SystemExit("outbox not drained in time")
            time.sleep(0.05)

    try:
        org = organisation()
        for _ in range(args.backlog):
            file_dossier(*org)
        backlog = OutboxMessage.objects.count()
        started = time.monotonic()
        start_workers()
        wait_drained(600)
        elapsed = time.monotonic() - started
        window = OutboxMessage.objects.aggregate(first=Min("sent_at"), last=Max("sent_at"))
        sending = (window["last"] - window["first"]).total_seconds()
        print(f"throughput: {backlog} messages in {elapsed:.1f} s = {backlog / elapsed:.0f} "
              f"messages/s with the workers' start-up and login; {backlog / sending:.0f} "
              f"messages/s from the first acknowledgement to the last ({args.workers} workers)")

        first = OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first()
        period = 1 / args.rate
        next_at = time.monotonic()
        end = next_at + args.seconds
        while next_at < end:
            file_dossier(*org)
            next_at += period
            time.sleep(max(0.0, next_at - time.monotonic()))
        wait_drained(120)
        lags = [(m.sent_at - m.created_at).total_seconds() for m in
                OutboxMessage.objects.filter(id__gt=first)]
        retried = OutboxMessage.objects.filter(id__gt=first, tries__gt=1).count()
        print(f"messages sent more than once after an error: {retried}")
        print(f"lag under {args.rate:g} dossiers/s ({len(lags)} messages): "
              f"p50 {percentile(lags, 50) * 1000:.0f} ms, p99 {percentile(lags, 99) * 1000:.0f} ms")
    finally:
        for w in workers:
            w.terminate()
        server.terminate()


if __name__ == "__main__":
    main()
