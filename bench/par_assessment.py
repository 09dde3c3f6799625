"""Benchmark: the PAR Index assessment page on PostgreSQL.

    .venv/bin/python bench/par_assessment.py [--provinces 34] [--units 20] [--repeat 30] [--fresh]

Creates (or reuses) the database `motcua_bench_par` on 127.0.0.1:5432 and, for each of
`--provinces` provinces, a Department of Home Affairs with an appraiser, `--units` departments,
a criteria set of 90 leaf criteria (8 areas, 14 of them live) and a round whose assessments are
fully declared, submitted and partly appraised, with their history (bulk insert). Then times,
through Django's test client as the appraisal team and as a unit's officer, the assessment page
(the tree with 90 scores, their evidence, live figures, lost points against last year and the
history), the round's results page and the API detail. Prints p50/p95 per case with the data size.

The page reads the live figures stored on the scores (read at opening, on refresh and at
submission): its cost does not grow with the dossiers behind them. Reading them is one
`metrics.selectors.unit_report` per assessment, which bench/metrics_dashboard.py measures with a
million dossiers.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "motcua_bench_par"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
LIVE = ["settled_on_time_rate", "online_share", "full_online_share", "synced_share",
        "e_result_share", "digitised_papers_share", "satisfaction_rate", "reused_share",
        "online_payment_share", "digitised_share", "publicity_rate", "sipas",
        "sipas_civil_servant", "feedback_on_time"]


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


def criteria_yaml(year: int) -> str:
    """8 areas of 90 leaves in all (12 + 11 × 7 = 89, plus one), 14 live, total 100."""
    lines = [f"year: {year}", "level: department", f"name: Bộ tiêu chí đo hiệu năng {year}",
             "areas:"]
    counts = [12] + [11] * 7
    counts[-1] += 90 - sum(counts)
    points = [Decimal(100) / 90] * 90
    rounded = [round(p, 2) for p in points]
    rounded[-1] += Decimal(100) - sum(rounded)
    n = 0
    for a, count in enumerate(counts, 1):
        lines += [f'  - code: "{a}"', f"    title: Lĩnh vực {a}", "    criteria:"]
        for c in range(1, count + 1):
            live = LIVE[n] if n < len(LIVE) else ""
            lines += [f'      - code: "{a}.{c}"', f"        title: Tiêu chí {a}.{c}",
                      f"        max_points: {rounded[n]}",
                      "        answer: " + ("percent" if live or c % 3 == 0 else "yes_no"),
                      "        rule: Chấm theo hướng dẫn", "        evidence: Văn bản"]
            if live or c % 3 == 0:
                top = rounded[n]
                lines.append(f"        scale: [{{from: 100, points: {top}}}, "
                             f"{{from: 80, points: {top / 2:.2f}}}, {{from: 0, points: 0}}]")
            if live:
                lines.append(f"        live: {live}")
            n += 1
    return "\n".join(lines) + "\n"


def seed(provinces: int, units: int) -> None:
    from django.utils import timezone

    from accounts.models import Membership, Role, Unit, User
    from reform.models import (
        ParAssessment,
        ParCriteriaSet,
        ParRound,
        ParScore,
        ParScoreEvent,
    )
    from reform.par.importer import criteria_import

    if ParRound.objects.exists():
        return
    now = timezone.now()
    sets = {y: ParCriteriaSet.objects.filter(year=y).first() or criteria_import(criteria_yaml(y))
            for y in (2025, 2026)}
    for p in range(provinces):
        province = Unit.objects.create(code=f"000.00.00.P{p:02d}", name=f"UBND tỉnh {p}",
                                       kind=Unit.Kind.PROVINCE)
        home = Unit.objects.create(code=f"000.00.10.P{p:02d}", name=f"Sở Nội vụ {p}",
                                   kind=Unit.Kind.DEPARTMENT, parent=province)
        appraiser = User.objects.create_user(username=f"thamdinh{p}", password="x-Bench-2026",
                                             kind=User.Kind.STAFF)
        Membership.objects.create(user=appraiser, unit=home, role=Role.APPRAISER)
        depts = [Unit(code=f"000.00.{20 + u:02d}.P{p:02d}", name=f"Sở {u} tỉnh {p}",
                      kind=Unit.Kind.DEPARTMENT, parent=province) for u in range(units)]
        Unit.objects.bulk_create(depts)
        officer = User.objects.create_user(username=f"cchc{p}", password="x-Bench-2026",
                                           kind=User.Kind.STAFF)
        Membership.objects.create(user=officer, unit=depts[0], role=Role.REFORM)
        for year, status in ((2025, ParAssessment.Status.PUBLISHED),
                             (2026, ParAssessment.Status.SUBMITTED)):
            crit = sets[year]
            leaves = [c for c in crit.criteria.all() if c.is_leaf]
            r = ParRound.objects.create(criteria_set=crit, organiser=home, name=f"Đợt {year}",
                                        period_year=year, self_deadline=now.date(),
                                        status="published" if year == 2025 else "open")
            assessments = ParAssessment.objects.bulk_create([
                ParAssessment(round=r, unit=d, status=status, self_points=Decimal(80),
                              max_points=Decimal(100)) for d in depts])
            scores = []
            for a in assessments:
                for c in leaves:
                    value = random.choice(["yes", "no"]) if c.answer_kind == "yes_no" else str(
                        random.randint(60, 100))
                    done = year == 2025 or random.random() < 0.5
                    scores.append(ParScore(
                        assessment=a, criterion=c, value=value,
                        self_points=c.max_points if value in ("yes", "100") else Decimal(0),
                        explanation="Lưu tại văn phòng",
                        live={"key": c.live_metric, "name": "Chỉ số", "formula": "a / b × 100",
                              "value": value, "points": "1", "url": "/chi-so/ho-so/"}
                        if c.live_metric else {},
                        appraisal="accepted" if done else "pending",
                        final_value=value if done else "",
                        final_points=(c.max_points if value in ("yes", "100") else Decimal(0))
                        if done else None))
            ParScore.objects.bulk_create(scores, batch_size=5000)
            events = [ParScoreEvent(assessment_id=s.assessment_id, score=s, actor=officer, at=now,
                                    action="self", new_value=s.value, new_points=s.self_points)
                      for s in scores]
            events += [ParScoreEvent(assessment_id=s.assessment_id, score=s, actor=appraiser,
                                     at=now, action="accept", old_value=s.value,
                                     new_value=s.value, new_points=s.self_points)
                       for s in scores if s.appraisal == "accepted"]
            ParScoreEvent.objects.bulk_create(events, batch_size=5000)


def _p50_p95(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def timed(client, url: str, repeat: int) -> tuple[float, float, float, float]:
    """Wall p50, p95, and this process's CPU p50, p95 (the application's share, without
    PostgreSQL's and without the wait for a core on a loaded machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return (*_p50_p95(wall), *_p50_p95(cpu))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    prepare(args.fresh)
    start = time.perf_counter()
    seed(args.provinces, args.units)
    print(f"seed: {time.perf_counter() - start:.1f} s")
    from django.conf import settings
    from django.test import Client

    from accounts.models import User
    from reform.models import ParAssessment, ParScore, ParScoreEvent

    # Not Django's test environment: its instrumented template rendering copies every context
    # and would be measured instead of the page.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"data: {ParAssessment.objects.count()} assessments, {ParScore.objects.count()} "
          f"scores, {ParScoreEvent.objects.count()} history rows")
    a = ParAssessment.objects.filter(round__period_year=2026, unit__code__startswith="000.00.20"
                                     ).select_related("round").order_by("pk").first()
    appraiser, officer = Client(), Client()
    appraiser.force_login(User.objects.get(username="thamdinh0"))
    officer.force_login(User.objects.get(username="cchc0"))
    cases = {
        "assessment page (appraiser)": (appraiser, f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/"),
        "assessment page (unit)": (officer, f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/"),
        "round results": (appraiser, f"/cai-cach/chi-so-cchc/dot/{a.round_id}/"),
        "API detail": (officer, f"/api/v1/reform/par/assessments/{a.pk}/"),
    }
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"{'case':32s} {'p50 ms':>8s} {'p95 ms':>8s} {'CPU p50':>8s} {'CPU p95':>8s}")
    for name, (client, url) in cases.items():
        client.get(url)  # warm
        p50, p95, c50, c95 = timed(client, url, args.repeat)
        print(f"{name:32s} {p50:8.1f} {p95:8.1f} {c50:8.1f} {c95:8.1f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
