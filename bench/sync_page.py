"""Benchmark: the sync operator page's reads (/dong-bo/) on a large PostgreSQL database.

    .venv/bin/python bench/sync_page.py --database <a database bench/submissions.py prepared>
                                        [--repeat 5]

The outbox keeps every message for ever, several a dossier. This fills it, once, to four sent
messages a received dossier (a thousandth of them with one failed) where it holds fewer, as the
sync worker would have left it, then times the page's reads (`sync_overview`, `sync_failures`,
`sync_reconcile_rows` of a run with 200 differences) for three readers: a superuser (every
dossier), an administrator of every unit, an administrator of one commune. Beside them, the
floor in the same run: the least a page counting the synced dossiers could do, one count of the
received dossiers. Prints the data's size, the machine and the medians in milliseconds.

Prepare a database first: `bench/submissions.py --existing 1000000 --copy-from 100000
--database <name> --prepare-only` (the outbox rows added here stay in it).
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MESSAGES_A_DOSSIER = 4


def outbox_fill() -> None:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM dossiers_dossier WHERE received_at IS NOT NULL")
        received = c.fetchone()[0]
        c.execute("SELECT count(*) FROM sync_outboxmessage")
        if c.fetchone()[0] >= received * MESSAGES_A_DOSSIER:
            return
        print(f"Filling the outbox to {MESSAGES_A_DOSSIER} messages a received dossier …",
              flush=True)
        # seq from 101: above any message the bench's own filings queued (unique per dossier)
        c.execute("""
            INSERT INTO sync_outboxmessage (dossier_id, seq, kind, payload, is_update,
                idempotency_key, status, tries, next_try_at, last_error, claim_token, sent_at,
                created_at, competent_unit_id, received_at)
            SELECT d.id, s.seq, 'CapNhatTienDoHoSoMC', '{}', s.seq > 101,
                d.code || ':b' || s.seq, 'sent', 1, d.received_at, '', '', d.received_at,
                d.received_at, d.competent_unit_id, d.received_at
            FROM dossiers_dossier d CROSS JOIN generate_series(101, %s) AS s(seq)
            WHERE d.received_at IS NOT NULL
            ON CONFLICT DO NOTHING""", [100 + MESSAGES_A_DOSSIER])
        c.execute("""UPDATE sync_outboxmessage SET status = 'failed', sent_at = NULL
                     WHERE seq = 101 AND dossier_id %% 1000 = 7""")
        c.execute("ANALYZE sync_outboxmessage")


def reconcile_run():
    """A run with 200 differences, about the newest dossiers (deleted at the end)."""
    from django.utils import timezone

    from dossiers.models import Dossier
    from sync.models import ReconcileRun

    run = ReconcileRun.objects.create(started_at=timezone.now(), checked=200, differences=200)
    codes = Dossier.objects.order_by("-id").values_list("code", flat=True)[:200]
    run.rows.bulk_create([run.rows.model(run=run, dossier_code=code, ours=2, theirs=1)
                          for code in codes])
    return run


def timed(repeat: int, read) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        read()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.db import connection

    from accounts.models import Unit
    from dossiers.models import Dossier
    from sync.models import OutboxMessage
    from sync.selectors import sync_failures, sync_overview, sync_reconcile_rows

    outbox_fill()
    run = reconcile_run()
    commune = (Dossier.objects.exclude(receiving_unit__isnull=True)
               .values_list("receiving_unit_id", flat=True).order_by("-id").first())
    print(f"Data: {Dossier.objects.count():,} dossiers, {OutboxMessage.objects.count():,} "
          f"outbox messages. Machine: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}.")

    def floor() -> None:
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM dossiers_dossier WHERE received_at IS NOT NULL")
            c.fetchone()

    print(f"floor (count the received dossiers): {timed(args.repeat, floor):8.1f} ms")
    scopes = [("superuser", None), ("every unit", set(Unit.objects.values_list("pk", flat=True))),
              ("one unit", {commune})]
    for label, unit_ids in scopes:
        page = timed(args.repeat, lambda u=unit_ids: (
            sync_overview(u), sync_failures(unit_ids=u), sync_reconcile_rows(run, unit_ids=u)))
        print(f"{label:12} page's reads: {page:8.1f} ms")
    run.delete()


if __name__ == "__main__":
    main()
