"""Benchmark: the staff lists (work boxes with search and filters) on PostgreSQL.

    .venv/bin/python bench/staff_lists.py [--dossiers 1000000] [--copy-from 100000]
                                          [--repeat 20] [--fresh] [--db motcua_bench_lists]
                                          [--modes]

Builds (or reuses) the database `motcua_bench_lists` (or `--db`) on 127.0.0.1:5432 the way
bench/metrics_dashboard.py does — a province, 300 procedures, `--copy-from` dossiers with real
histories generated in Python, copied in SQL up to `--dossiers` — then gives every dossier a
Vietnamese name, a personal ID and a phone number (1,600 different names, so a full name matches
about one dossier in 1,600). All of them were received by one centre: its desk officer sees every
dossier, the worst case of a list. The dossiers are loaded around the services, so the units
that see them (DossierAccess) are written by the rebuild the services' rows are checked with
(`manage.py dossiers_rebuild_access`, timed). Times whole pages as the officer gets them
(Django's test client: middleware, view, queries, template; no HTTP), and prints p50/p95 per case
with the data size, the machine and its load. With `--modes` every case is also timed with the
row-level rule forced to each of its modes (`dossier_visible(per_row=…)`), in the same rounds:
the lists before the per-row mode existed are the "as a set" figures of the cases a search
narrows by an index.
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import metrics_dashboard as base  # noqa: E402


def use_database(name: str) -> None:
    base.DB = name
    base.URL = f"postgres://postgres@127.0.0.1:5432/{name}"


use_database("motcua_bench_lists")

SURNAMES = [("Nguyễn", "nguyen"), ("Trần", "tran"), ("Lê", "le"), ("Phạm", "pham"),
            ("Hoàng", "hoang"), ("Huỳnh", "huynh"), ("Phan", "phan"), ("Vũ", "vu"),
            ("Võ", "vo"), ("Đặng", "dang")]
MIDDLES = [("Văn", "van"), ("Thị", "thi"), ("Hữu", "huu"), ("Minh", "minh"), ("Ngọc", "ngoc"),
           ("Thanh", "thanh"), ("Đức", "duc"), ("Quốc", "quoc")]
GIVEN = [("An", "an"), ("Bình", "binh"), ("Cường", "cuong"), ("Dũng", "dung"), ("Hà", "ha"),
         ("Hương", "huong"), ("Lan", "lan"), ("Long", "long"), ("Mai", "mai"), ("Nam", "nam"),
         ("Phúc", "phuc"), ("Quang", "quang"), ("Sơn", "son"), ("Thảo", "thao"),
         ("Trang", "trang"), ("Tuấn", "tuan"), ("Vy", "vy"), ("Yến", "yen"),
         ("Khánh", "khanh"), ("Hải", "hai")]


def people() -> int:
    """Names, folded names, IDs and phones for the dossiers that have none yet, in SQL."""
    from django.db import connection

    def array(pairs, i):
        return "ARRAY[" + ", ".join(f"'{p[i]}'" for p in pairs) + "]"

    with connection.cursor() as c:
        c.execute(f"""
            UPDATE dossiers_dossier SET
              applicant_name = ({array(SURNAMES, 0)})[1 + id % 10] || ' '
                || ({array(MIDDLES, 0)})[1 + (id / 10) % 8] || ' '
                || ({array(GIVEN, 0)})[1 + (id / 80) % 20],
              applicant_name_folded = ({array(SURNAMES, 1)})[1 + id % 10] || ' '
                || ({array(MIDDLES, 1)})[1 + (id / 10) % 8] || ' '
                || ({array(GIVEN, 1)})[1 + (id / 80) % 20],
              applicant_id_number = '0' || lpad(((id * 7919) % 99999999999)::text, 11, '0'),
              applicant_phone = '09' || lpad(((id * 104729) % 100000000)::text, 8, '0')
            WHERE applicant_id_number = ''""")
        return c.rowcount


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--copy-from", type=int, default=100_000, metavar="N",
                        help="generate N dossiers, then reach --dossiers by copying them in SQL")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--modes", action="store_true",
                        help="time every case also with the row-level rule forced to each mode "
                             "(the units' rows as a set, or checked row by row)")
    parser.add_argument("--db", default="motcua_bench_lists",
                        help="the PostgreSQL database to build or reuse")
    args = parser.parse_args()
    from bench.machine import describe

    use_database(args.db)
    base.prepare(args.fresh)
    # PostgreSQL as docs/deployment.md sets it on a 2-core server: no parallel plans (a Gather
    # only steals the other sessions' core and, under a LIMIT, makes its workers read ahead).
    base.psql(f"ALTER DATABASE {args.db} SET max_parallel_workers_per_gather = 0")
    from django.db import connection as setup_connection

    setup_connection.close()  # the next session starts with it
    base.organisation()
    started = time.perf_counter()
    generated = min(args.dossiers, args.copy_from or args.dossiers)
    base.seed(generated)
    base.seed_steps()
    if args.dossiers > generated:
        base.grow_by_copy(args.dossiers, generated)
    named = people()
    seeded = time.perf_counter() - started
    # The rows the filing and the hand-offs write, for the dossiers loaded around them.
    from dossiers.services.access import access_rebuild

    started = time.perf_counter()
    granted, _removed = access_rebuild()
    rebuilt = time.perf_counter() - started

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import Membership, Role, Unit, User
    from dossiers.models import Dossier, DossierAccess
    from dossiers.views import inbox as inbox_view

    with connection.cursor() as c:
        if named or granted:
            c.execute("VACUUM ANALYZE")
            c.execute("CHECKPOINT")
        else:
            # Rows filled by the migration on a database built before it: what autovacuum
            # would have done since (it is off on this cluster).
            c.execute("VACUUM ANALYZE dossiers_dossieraccess")
    setup_test_environment()  # the test client's host name is allowed
    # The officer is signed in with force_login, without an authenticator (as in the tests).
    from django.conf import settings

    settings.MOTCUA_SECOND_FACTOR_REQUIRED = False
    centre = Unit.objects.get(code="000.00.12.B99")
    desk = User.objects.get(username="bench.desk")
    Membership.objects.get_or_create(user=desk, unit=centre, role=Role.RECEIVING)
    client = Client()
    client.force_login(desk)
    # A department's specialist sees the dossiers their department decides (1 in 20 here)
    # through the row-level rule's other branches (competent, current unit, a step held).
    department = Unit.objects.get(code="000.00.20.B99")
    specialist, _ = User.objects.get_or_create(username="bench.specialist",
                                               defaults={"kind": User.Kind.STAFF})
    Membership.objects.get_or_create(user=specialist, unit=department, role=Role.SPECIALIST)
    other = Client()
    other.force_login(specialist)

    total = Dossier.objects.count()
    sample = Dossier.objects.filter(code__startswith="B99-").order_by("id")[total // 2]
    deep = (Dossier.objects.filter(due_at__isnull=False)
            .order_by("due_at", "id").values_list("due_at", "id")[min(total // 2, 500_000)])
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    cursor = f"{(deep[0] - epoch) // timedelta(microseconds=1)}_{deep[1]}"
    day_prefix = sample.code[:8]
    # A dossier the department sees, for its specialist's search by ID.
    specialists_own = Dossier.objects.filter(
        pk__in=DossierAccess.objects.filter(unit=department).values("dossier_id")[:1]).get()
    cases_urls = {
        "all dossiers, first page": "/ho-so/hop/all/",
        "all dossiers, page at row 500,000 (keyset)": f"/ho-so/hop/all/?sau={cursor}",
        "process box (htmx fragment)": ("/ho-so/hop/process/", True),
        "search: whole code": f"/ho-so/hop/all/?q={sample.code}",
        "search: code beginning (B99-xxxx)": f"/ho-so/hop/all/?q={day_prefix}",
        "search: personal ID (logged)": f"/ho-so/hop/all/?q={sample.applicant_id_number}",
        "search: phone (logged)": f"/ho-so/hop/all/?q={sample.applicant_phone}",
        "search: full name, no diacritics": "/ho-so/hop/all/?q=nguyen+van+an",
        "search: given name only": "/ho-so/hop/all/?q=khanh",
        "search: a name nobody has": "/ho-so/hop/all/?q=zzkhong+ai",
        "filter: overdue": "/ho-so/hop/all/?han=qua-han",
        "filter: due soon": "/ho-so/hop/all/?han=sap-den-han",
        "filter: procedure + processing": "/ho-so/hop/all/?thu-tuc=B.000007&trang-thai=processing",
        "filter: by post (5 %)": "/ho-so/hop/all/?kenh=3",
        "name + overdue + counter": "/ho-so/hop/all/?q=tran+thi&han=qua-han&kenh=1",
        "department specialist: all dossiers": ("/ho-so/hop/all/", False, other),
        "department specialist: process box": ("/ho-so/hop/process/", False, other),
        "department specialist: overdue": ("/ho-so/hop/all/?han=qua-han", False, other),
        # A code's beginning the centre shares with 100,000 dossiers, of which the department
        # sees one in 20; and a personal ID (one dossier).
        "department specialist: code beginning": (f"/ho-so/hop/all/?q={day_prefix}", False,
                                                  other),
        "department specialist: personal ID": (
            f"/ho-so/hop/all/?q={specialists_own.applicant_id_number}", False, other),
        "department specialist: full name, no diacritics": ("/ho-so/hop/all/?q=nguyen+van+an",
                                                            False, other),
        # The floor of the specialist's page: the same stack, a search that finds nothing.
        "department specialist: a name nobody has": ("/ho-so/hop/all/?q=zzkhong+ai", False,
                                                     other),
    }

    chosen = inbox_view.narrows_by_index

    def case(url, per_row=None):
        htmx = isinstance(url, tuple) and url[1] is not False
        path = url[0] if isinstance(url, tuple) else url
        who = url[2] if isinstance(url, tuple) and len(url) > 2 else client
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

        def run():
            # The row-level rule as the list chooses it, or forced to one mode (--modes).
            if per_row is not None:
                inbox_view.narrows_by_index = lambda filters, user: per_row
            try:
                response = who.get(path, **headers)
            finally:
                inbox_view.narrows_by_index = chosen
            assert response.status_code == 200, (path, response.status_code)
        return run

    cases = {}
    for name, url in cases_urls.items():
        cases[name] = case(url)
        if args.modes:
            cases[f"{name} [as a set]"] = case(url, per_row=False)
            cases[f"{name} [row by row]"] = case(url, per_row=True)
    with connection.cursor() as c:
        c.execute("SELECT pg_size_pretty(pg_total_relation_size('dossiers_dossier')), "
                  "pg_size_pretty(pg_total_relation_size('dossiers_dossieraccess')), "
                  "(SELECT count(*) FROM dossiers_dossieraccess WHERE unit_id = %s)",
                  [department.pk])
        size, access_size, department_rows = c.fetchone()
    load = os.getloadavg()
    print(f"staff lists bench — {describe()}")
    print(f"load average before timing {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"PostgreSQL, {total} dossiers ({size} with indexes), all received by one centre "
          f"whose desk officer sees every one; seeding {seeded:.0f} s ({named} named now); "
          f"access rows {access_size}, the department's {department_rows}; "
          f"dossiers_rebuild_access {rebuilt:.1f} s ({granted} rows added)")
    print(f"{'case (whole page)':66} {'p50 ms':>8} {'p95 ms':>8}")
    for name, (p50, p95) in base.timed_together(cases, args.repeat).items():
        print(f"{name:66} {p50:8.1f} {p95:8.1f}")
    load = os.getloadavg()
    print(f"load average after timing {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
