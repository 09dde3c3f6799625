"""Benchmark: concurrent transactions counting the same service-index key, one row a key against
the key spread over slots (issue #18, metrics/counters.py `slot_sql`), on PostgreSQL.

    flock /tmp/bench.lock .venv/bin/python bench/counter_slots.py --database <a bench db>
          [--connections 8] [--seconds 5] [--rounds 3] [--slots 8]

`--connections` processes, each its own connection, run transactions as fast as they can: each
one the return of the result's counting statement (`_count`: the day's and the month's upserts
in one statement, settled early and closed after receipt) and its COMMIT, nothing else. Three
modes in turns, each `--seconds` long, `--rounds` times: every process on the same key with one
row a key (`MOTCUA_COUNTER_SLOTS` 1: the code before the slots), the same key spread over
`--slots` rows, and each process on a key of its own (no row shared: the floor). Prints each
run's transactions a second and the medians' ratios to the floor. The database is any migrated
one (`bench/submissions.py --prepare-only` makes one); its counter rows of the keys used are
deleted at the end.
"""

import argparse
import multiprocessing
import os
import secrets
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DAY = date(2001, 1, 2)  # a day no other row counts on


def _worker(slots: int, key: tuple, seconds: float, out) -> None:
    from django.conf import settings
    from django.db import connection, transaction

    from metrics.counters import _count

    settings.MOTCUA_COUNTER_SLOTS = slots
    deltas = {"settled_early": 1, "closed_after_receipt": 1}
    done, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        with transaction.atomic():
            _count(*key, deltas)
        done += 1
    connection.close()
    out.put(done)


def run(mode: str, *, connections: int, seconds: float, slots: int, keys: list) -> float:
    from django.db import connection

    connection.close()  # never shared by the forked processes
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(
        slots if mode == "spread" else 1,
        keys[i] if mode == "own key" else keys[0], seconds, out)) for i in range(connections)]
    started = time.perf_counter()
    for p in procs:
        p.start()
    total = sum(out.get() for _ in procs)
    for p in procs:
        p.join()
    return total / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slots", type=int, default=8)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    # Production settings, as the server runs: no statement log.
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from bench.machine import describe
    from catalog.models import Procedure
    from metrics.models import DailyCounter, MonthlyCounter

    unit_id = Procedure.objects.filter(competent_unit__isnull=False).values_list(
        "competent_unit_id", flat=True)[0]
    procedures = list(Procedure.objects.values_list("pk", flat=True)[:args.connections])
    keys = [(DAY, unit_id, p) for p in procedures]
    print(f"counter slots bench — {describe()}; {args.connections} connections, "
          f"{args.seconds:g} s a run, {args.rounds} rounds")
    got: dict[str, list[float]] = {"one row": [], "spread": [], "own key": []}
    for _ in range(args.rounds):
        for mode in got:
            rate = run(mode, connections=args.connections, seconds=args.seconds,
                       slots=args.slots, keys=keys)
            got[mode].append(rate)
            print(f"  {mode:8}: {rate:7.1f} transactions/s")
    floor = statistics.median(got["own key"])
    for mode, rates in got.items():
        median = statistics.median(rates)
        print(f"median {mode:8}: {median:7.1f}/s = {100 * median / floor:5.1f} % of a key "
              f"per connection")
    print(f"load average after the runs {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    DailyCounter.objects.filter(day=DAY).delete()
    MonthlyCounter.objects.filter(month=DAY.replace(day=1)).delete()


if __name__ == "__main__":
    main()
