"""Benchmark: the yearly CCHC plan's pages and progress report on PostgreSQL (issue #13).

    .venv/bin/python bench/reform_plan.py [--tasks 100] [--repeat 30] [--fresh]

Creates (or reuses) the database `motcua_bench_reform` on 127.0.0.1:5432 with 34 provinces, each
with 20 departments and this year's plan of `--tasks` tasks (a fifth of them sub-tasks) under the
seven areas, four history rows and one piece of evidence per task, and 200 directive documents;
bulk inserts. Then times, through Django's test client (view + template + middleware), on one
province's plan chosen at random each round: the plan page as the officer (every task) and as a
department (its own), a task page, the report page, the report as Excel and as PDF, and the public
page; and, beside them, the PDF's floor (the same library and font writing a one-line PDF).
Prints p50/p95 per case (wall, and this process's CPU) with the data size, the machine and its
load, and the report PDF's ratio to the floor. Target: p95 ≤ 150 ms per page.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "motcua_bench_reform"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PROVINCES = 34


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
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(tasks_per_plan: int) -> None:
    from django.utils import timezone

    from accounts.models import Membership, Role, Unit, User
    from reform.models import Area, Directive, Evidence, Plan, Task, TaskEvent

    if Plan.objects.exists():
        return
    rng = random.Random(13)
    today = timezone.localdate()
    now = timezone.now()
    officer, _ = User.objects.get_or_create(username="bench.noivu",
                                            defaults={"kind": User.Kind.STAFF})
    areas = list(Area.values)
    statuses = [Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS, Task.Status.SUBMITTED,
                Task.Status.RETURNED, Task.Status.ACCEPTED, Task.Status.ACCEPTED]
    Directive.objects.bulk_create([
        Directive(number=f"{i}/CT-UBND", date=today - timedelta(days=rng.randint(0, 300)),
                  issuer="UBND tỉnh", kind=Directive.Kind.DIRECTIVE,
                  summary=f"Văn bản chỉ đạo số {i}", created_by=officer) for i in range(200)])
    for p in range(PROVINCES):
        province = Unit.objects.create(code=f"000.00.00.R{p:02d}", name=f"UBND tỉnh đo tải {p}",
                                       kind=Unit.Kind.PROVINCE)
        departments = Unit.objects.bulk_create([
            Unit(code=f"000.00.{10 + d}.R{p:02d}", name=f"Sở số {d + 1} tỉnh {p}",
                 kind=Unit.Kind.DEPARTMENT, parent=province) for d in range(20)])
        Membership.objects.get_or_create(user=officer, unit=province, role=Role.REFORM)
        staff = User.objects.create(username=f"bench.so.{p}", kind=User.Kind.STAFF)
        Membership.objects.create(user=staff, unit=departments[0], role=Role.SPECIALIST)
        plan = Plan.objects.create(unit=province, year=today.year, title=f"Kế hoạch CCHC {p}",
                                   decision_number=f"{p}/QĐ-UBND",
                                   decision_date=date(today.year, 1, 5), created_by=officer)
        tops = tasks_per_plan - tasks_per_plan // 5
        rows = []
        for i in range(tasks_per_plan):
            status = rng.choice(statuses)
            deadline = date(today.year, 1, 1) + timedelta(days=rng.randint(30, 364))
            rows.append(Task(
                plan=plan, area=areas[i % len(areas)], number=str(i + 1), position=i,
                title=f"Nhiệm vụ cải cách hành chính số {i + 1} của tỉnh {p}",
                expected_product="Báo cáo", lead_unit=departments[i % 20], deadline=deadline,
                weight=rng.choice([1, 1, 2, 3]), status=status,
                progress=100 if status in (Task.Status.SUBMITTED, Task.Status.ACCEPTED)
                else rng.randint(0, 95),
                done_on=min(deadline + timedelta(days=rng.randint(-20, 20)), today)
                if status in (Task.Status.SUBMITTED, Task.Status.ACCEPTED) else None))
        tasks = Task.objects.bulk_create(rows)
        for i, task in enumerate(tasks[tops:]):
            task.parent = tasks[i % tops]
            task.area = task.parent.area
        Task.objects.bulk_update(tasks[tops:], ["parent", "area"])
        TaskEvent.objects.bulk_create([
            TaskEvent(task=t, at=now - timedelta(days=k * 10), actor=officer, kind=kind,
                      progress=t.progress, note="Ghi chú tiến độ")
            for t in tasks for k, kind in enumerate(["create", "progress", "progress",
                                                     "evidence"])])
        Evidence.objects.bulk_create([
            Evidence(task=t, kind=Evidence.Kind.URL, title=f"Minh chứng {t.number}",
                     url=f"https://example.vn/{p}/{t.number}", added_by=officer,
                     added_at=now - timedelta(days=5)) for t in tasks])




def one_line_pdf() -> bytes:
    """A one-line A4 landscape PDF in DejaVu Serif, written as reform.exports writes the
    report."""
    import io

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate

    from dossiers.printing.pdf import p

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4)).build([p("Báo cáo tiến độ năm")])
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    prepare(args.fresh)
    start = time.perf_counter()
    seed(args.tasks)
    seeded = time.perf_counter() - start

    from django.test import Client

    from accounts.models import User
    from bench.machine import describe
    from reform.models import Plan, Task, TaskEvent

    plans = list(Plan.objects.order_by("pk"))
    officer = User.objects.get(username="bench.noivu")
    rng = random.Random(1)
    officer_client, unit_client, public = Client(), Client(), Client()
    officer_client.force_login(officer)
    chosen = {}

    def pick():
        plan = rng.choice(plans)
        chosen["plan"] = plan
        chosen["task"] = Task.objects.filter(plan=plan).order_by("?").values_list(
            "pk", flat=True).first()
        index = plans.index(plan)
        unit_client.force_login(User.objects.get(username=f"bench.so.{index}"))

    def get(client, url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def plan_url(suffix=""):
        return f"/cai-cach/ke-hoach/{chosen['plan'].pk}/{suffix}"

    pick()
    cases = {
        "plan page, officer (all tasks)": lambda: get(officer_client, plan_url()),
        "plan page, a department (its tasks)": lambda: get(unit_client, plan_url()),
        "task page, officer": lambda: get(officer_client,
                                          f"/cai-cach/nhiem-vu/{chosen['task']}/"),
        "report page (year)": lambda: get(officer_client, plan_url("bao-cao/?ky=nam")),
        "report Excel (year)": lambda: get(officer_client, plan_url("bao-cao.xlsx?ky=nam")),
        "report PDF (year)": lambda: get(officer_client, plan_url("bao-cao.pdf?ky=nam")),
        "public page": lambda: get(public, f"/cai-cach/cong-khai/ke-hoach/"
                                           f"{chosen['plan'].pk}/"),
        # The PDF's floor: the same library and embedded font writing a one-line document
        # (no request, no query): what any PDF costs here, to read the report's figure against.
        "PDF floor (one line, same font)": one_line_pdf,
    }
    for fn in cases.values():  # warm-up: templates, fonts, connections
        fn()

    # Wall time, and this process's CPU time (the application's share, without PostgreSQL and
    # without the time spent waiting for a core on a loaded machine).
    results = {name: [] for name in cases}
    cpu = {name: [] for name in cases}
    for _ in range(args.repeat):
        pick()
        for name, fn in cases.items():
            t, c = time.perf_counter(), time.process_time()
            fn()
            results[name].append((time.perf_counter() - t) * 1000)
            cpu[name].append((time.process_time() - c) * 1000)
    print(f"Machine: {describe()}")
    print(f"Data: {len(plans)} provinces' plans, {Task.objects.count():,} tasks "
          f"({args.tasks} per plan), {TaskEvent.objects.count():,} history rows, "
          f"PostgreSQL; seeded in {seeded:.1f} s")
    print(f"Load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"{'case':40} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8}")
    for name, values in results.items():
        values.sort()
        used = sorted(cpu[name])
        p95 = int(0.95 * (len(values) - 1))
        print(f"{name:40} {statistics.median(values):8.1f} {values[p95]:8.1f} "
              f"{statistics.median(used):8.1f} {used[p95]:8.1f}")
    pdf, floor = (statistics.median(cpu[k]) for k in ("report PDF (year)",
                                                      "PDF floor (one line, same font)"))
    print(f"Report PDF / one-line PDF, CPU p50: {pdf / floor:.1f} ×")


if __name__ == "__main__":
    main()
