"""Benchmark: the procedure search API on SQLite and PostgreSQL, at the national catalogue's
2,642 procedures and at 20,000 (the catalogue replicated with varied names).

    .venv/bin/python bench/search.py [--db both|sqlite|postgresql] [--sizes 2642,20000]
                                     [--requests 400] [--file PATH] [--development-only]

For each database: a fresh database (SQLite in a temporary file; `motcua_bench_search` on
127.0.0.1:5432), migrated (which loads the shipped thesaurus and life events), the national
file imported; then for each size, copies of the procedures with varied names are added, the
search index is rebuilt (timed) and stored; then a new process, as a server's worker would,
reads the stored index and times `GET /api/v1/procedures/?q=…&limit=20` through Django's test
client (middleware, DRF, serializer and database included; no HTTP server) for the 450 queries
of catalog/evaluation/ in turn, after a warm-up. (Timed in the process that had imported and
replicated the catalogue, every request, the fixed page too, was slower for what that setup
left in the process, which no worker holds.) The floor is the same API returning a fixed
page (`?limit=20`, no query). Prints p50/p95/max of the wall time and of the worker's CPU
time (on a shared machine the wall time also counts the wait for a core), with the machine
and its load; the target of issue #15 is p95 ≤ 20 ms.
`--development-only` times the two development parts' 352 queries instead (dev and dev2), for
whoever tunes the search and must not read the test part's queries.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_DB = os.environ.get("BENCH_SEARCH_DB", "motcua_bench_search")
NATIONAL = ROOT.parent / "shared/data/procedures/national-catalog-2642.jsonl.gz"
# Words that make a copy's name differ from its original the way real catalogues differ:
# the same procedure at another place, for another applicant, or a case of it.
QUALIFIERS = [
    "tại Ban quản lý khu kinh tế", "đối với doanh nghiệp nhỏ và vừa", "thí điểm",
    "tại cấp huyện cũ", "đối với người nước ngoài", "trong khu công nghệ cao",
    "đối với hộ gia đình, cá nhân", "liên thông", "trường hợp đặc biệt", "tại cửa khẩu",
    "đối với tổ chức tín dụng", "trên địa bàn miền núi", "bằng phương thức điện tử",
    "do cơ quan trung ương quản lý", "đối với cơ sở giáo dục", "tại vùng biên giới",
]


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
                   check=True, capture_output=True)


def database_url(vendor: str) -> str:
    if vendor == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='bench-search-')}/bench.sqlite3"
    psql(f"DROP DATABASE IF EXISTS {PG_DB}")
    psql(f"CREATE DATABASE {PG_DB}")
    return f"postgres://postgres@127.0.0.1:5432/{PG_DB}"


def replicate(target: int) -> None:
    """Add copies of the national procedures until there are `target`, names varied."""
    from catalog.models import Procedure
    from catalog.services import procedure_set_search_text

    originals = list(Procedure.objects.filter(code__regex=r"^\d").order_by("pk"))
    have = Procedure.objects.count()
    rnd = random.Random(15)
    batch, n = [], 0
    while have + len(batch) < target:
        source = originals[n % len(originals)]
        n += 1
        copy = Procedure(
            code=f"R{n}.{source.code}", name=f"{source.name} {rnd.choice(QUALIFIERS)}",
            field_id=source.field_id, level=source.level, levels=source.levels,
            applicant_types=source.applicant_types,
            competent_authority=source.competent_authority,
            implementing_agency=source.implementing_agency, online_level=source.online_level,
            steps_text=source.steps_text, requirements=source.requirements,
            result_text=source.result_text)
        procedure_set_search_text(copy)
        batch.append(copy)
        if len(batch) == 1000:
            Procedure.objects.bulk_create(batch)
            have += len(batch)
            batch = []
    Procedure.objects.bulk_create(batch)


CPU: list[float] = []


def timed(client, path: str, params: dict) -> float:
    """Wall time of one request in ms; its CPU time in this process goes to CPU (on a shared
    machine the wall time also counts the wait for a core)."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, params)
    elapsed = (time.perf_counter() - started) * 1000
    CPU.append((time.process_time() - cpu) * 1000)
    assert response.status_code == 200, response.content[:300]
    return elapsed


def summary(label: str, values: list[float]) -> str:
    values = sorted(values)
    p95 = values[int(len(values) * 0.95) - 1]
    return (f"    {label:<34} p50 {statistics.median(values):6.1f} ms   p95 {p95:6.1f} ms   "
            f"max {values[-1]:6.1f} ms   ({len(values)} requests)")


def run(sizes: list[int], requests: int, national: Path, development_only: bool = False
        ) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("import_procedures", str(national), "--quiet", stdout=quiet)
    print(f"  {connection.vendor}: national file imported in "
          f"{time.perf_counter() - started:.1f} s")

    from catalog.models import LifeEvent, Procedure, SearchSynonym
    from catalog.search.index import dumps, index_rebuild

    for size in sizes:
        replicate(size)
        started = time.perf_counter()
        index = index_rebuild()
        built = time.perf_counter() - started
        if connection.vendor == "postgresql":
            # What autovacuum does within a minute of a bulk import: the visibility map lets
            # the freshness check's COUNT(*) read the primary key index instead of the heap
            # (12 ms at 2,642 procedures before, 0.5 ms after).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(f"  {Procedure.objects.count():,} procedures; {SearchSynonym.objects.count()} "
              f"thesaurus lines, {LifeEvent.objects.count()} life events; index built in "
              f"{built:.1f} s, {len(dumps(index)) / 1e6:.1f} MB stored")
        connection.close()
        subprocess.run([sys.executable, __file__, "--worker", os.environ["DATABASE_URL"],
                        "--requests", str(requests),
                        *(["--development-only"] if development_only else [])], check=True)


def worker(requests: int, development_only: bool) -> None:
    """Time the API in this new process, which reads the stored index as a worker does."""
    import gc

    from django.test import Client

    from catalog.evaluation.measure import DEV2_SET, DEV_SET, TEST_SET, query_set
    from catalog.search.index import current_index

    parts = (DEV_SET, DEV2_SET) if development_only else (DEV_SET, TEST_SET)
    queries = [q["query"] for part in parts for q in query_set(part)]
    client = Client()
    started = time.perf_counter()
    current_index()
    print(f"    worker: stored index read in {time.perf_counter() - started:.2f} s")
    for q in queries[:20]:
        timed(client, "/api/v1/procedures/", {"q": q, "limit": 20})
    CPU.clear()
    floor = [timed(client, "/api/v1/procedures/", {"limit": 20})
             for _ in range(min(requests, 200))]
    floor_cpu = list(CPU)
    CPU.clear()
    search = [timed(client, "/api/v1/procedures/", {"q": queries[i % len(queries)],
                                                    "limit": 20})
              for i in range(requests)]
    print(summary("floor: fixed page, no query", floor))
    print(summary("search: citizen queries", search))
    print(summary("floor, CPU time of this process", floor_cpu))
    print(summary("search, CPU time of this process", list(CPU)))
    print(f"    objects the garbage collector tracks: {len(gc.get_objects()):,}; "
          f"load average while measuring: {os.getloadavg()[0]:.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["both", "sqlite", "postgresql"], default="both")
    parser.add_argument("--sizes", default="2642,20000")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--file", type=Path, default=NATIONAL)
    parser.add_argument("--worker", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--development-only", action="store_true",
                        help="time the queries of dev.jsonl and dev2.jsonl, not the test part's")
    args = parser.parse_args()
    if args.db == "both" and not args.worker:
        from bench.machine import describe

        print(f"Machine: {describe()}", flush=True)
        for vendor in ("sqlite", "postgresql"):
            subprocess.run([sys.executable, __file__, "--db", vendor, "--sizes", args.sizes,
                            "--requests", str(args.requests), "--file", str(args.file),
                            *(["--development-only"] if args.development_only else [])],
                           check=True)
        return
    # Production-like: no query log kept in memory; a throwaway key for this process only.
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-search-" + os.urandom(32).hex())
    os.environ["DATABASE_URL"] = args.worker or database_url(args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    if args.worker:
        worker(args.requests, args.development_only)
        return
    print(f"{args.db}:", flush=True)
    run([int(s) for s in args.sizes.split(",")], args.requests, args.file,
        args.development_only)


if __name__ == "__main__":
    main()
