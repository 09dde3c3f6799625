"""What the numbering of results approved unnumbered costs (issue #18): wall-clock per batch and
per result of `results.numbering.results_number`, each batch in its own transaction.

    .venv/bin/python bench/numbering_cost.py --database <a bench database> [--batches 1,10,100]
        [--repeat 5] [--lock FILE]

Uses the results a bench database's approvals left unnumbered (bench/dossier_indexes.py's
approval runs on the essential SQL store them so, as the real approval does), of one series
(unit, suffix, year): the series with most. Each batch numbers the next `n` of them in the
order of issue, `upto` the n-th (as a reader's `result_numbered` does for the n-th when the
n - 1 before it wait); the numbers are taken for good (a bench database). Prints each batch's
time, the medians per batch and per result, and the machine's load beside them.
"""

import argparse
import fcntl
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--batches", default="1,10,100")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lock", default="",
                        help="a file every benchmark sharing the machine locks while it runs")
    args = parser.parse_args()
    from bench.actions_setup import actions_django
    from bench.machine import describe

    actions_django(args.database)
    from django.db import connection
    from django.db.models import Count

    from dossiers.deadlines import TZ
    from results.models import StoredDocument
    from results.numbering import NUMBER_PENDING, results_number

    print(describe(), flush=True)
    pending = (StoredDocument.objects.filter(file="", document_number="",
                                             kind=StoredDocument.Kind.RESULT)
               .values("issuer_unit_id").annotate(n=Count("pk")).order_by("-n").first())
    if pending is None:
        sys.exit("no result waits for its number: run bench/dossier_indexes.py's approval first")
    unit_id = pending["issuer_unit_id"]
    rows = (StoredDocument.objects.filter(file="", document_number="", issuer_unit_id=unit_id,
                                          kind=StoredDocument.Kind.RESULT)
            .order_by("issued_at", "pk").values_list("pk", "issued_at", "facts"))
    queue = [(pk, at) for pk, at, facts in rows if NUMBER_PENDING in (facts or {})]
    first = StoredDocument.objects.get(pk=queue[0][0])
    suffix, year = first.facts[NUMBER_PENDING][0], first.issued_at.astimezone(TZ).year
    queue = [(pk, at) for pk, at in queue if at.astimezone(TZ).year == year]
    print(f"unit {unit_id}, suffix {suffix}, year {year}: {len(queue)} results wait", flush=True)
    sizes = [int(x) for x in args.batches.split(",")]
    need = sum(sizes) * args.repeat
    if len(queue) < need:
        sys.exit(f"{need} results needed, {len(queue)} wait")
    connection.ensure_connection()
    times: dict[int, list[float]] = {}
    for rnd in range(args.repeat):
        for n in sizes:
            pk, at = queue[n - 1]
            del queue[:n]
            fd = os.open(args.lock or os.devnull, os.O_RDONLY)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                before = load()
                started = time.perf_counter()
                done = results_number(unit_id=unit_id, suffix=suffix, year=year, upto=(at, pk))
                spent = time.perf_counter() - started
            finally:
                os.close(fd)
            assert done == n, (done, n)
            times.setdefault(n, []).append(spent)
            print(f"round {rnd + 1} batch {n:5}: {spent * 1000:8.2f} ms "
                  f"(load before {before})", flush=True)
    print(f"\nmedians of {args.repeat} batches (load now {load()}):")
    for n, spent in times.items():
        m = statistics.median(spent)
        print(f"  batch {n:5}: {m * 1000:8.2f} ms, {m * 1000 / n:7.3f} ms a result")


if __name__ == "__main__":
    main()
