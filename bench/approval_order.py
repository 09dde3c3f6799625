"""Where an approval's last statement locks its unit's yearly result counter (issue #18).

    .venv/bin/python bench/approval_order.py --database <a bench database> [--count 30]

Uses a database prepared by bench/submissions.py (`--prepare-only`). Files `--count` dossiers,
moves them to the head's step and approves each through the API with `auto_explain` reporting
the approval's joined statement (the steps, the dossier, the event and the outbox rows held as
WITHs h0…, then the counter's upsert `n`, the stored result `s` and the draft version's update,
results/storing.py) to this client. From each plan: the executor's time of the statement, and
that of the held writes (the CTEs h0…). The counter's row stays locked from its upsert to the
COMMIT: with the held writes run after the main statement (PostgreSQL's rule for a
data-modifying WITH nothing reads, the order before `motcua.prepared.held_first`), the lock
covered the whole statement; with them run first, the statement less the held writes. Medians
in milliseconds; the COMMIT's WAL flush comes on top of both.
"""

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cte_times(plan: dict, found: dict) -> None:
    name = plan.get("Subplan Name", "")
    if name.startswith("CTE "):
        found[name[4:]] = plan.get("Actual Total Time", 0.0)
    for child in plan.get("Plans", []):
        _cte_times(child, found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--count", type=int, default=30)
    args = parser.parse_args()
    from bench.actions_setup import actions_django, actions_filing, at_head, token_client

    actions_django(args.database)
    from django.db import connection

    from accounts.models import User

    desk = User.objects.get(username="tiepnhan")
    desk_client = token_client(desk)
    filing = actions_filing()
    codes = []
    for _ in range(args.count):
        r = desk_client.post("/api/v1/dossiers/", filing, format="json")
        assert r.status_code == 201, r.content
        codes.append(r.json()["code"])
    waiting, head_client = at_head(codes, desk)
    notices: list[str] = []
    connection.ensure_connection()
    with connection.cursor() as c:
        c.execute("LOAD 'auto_explain'")
        for name, value in (("log_min_duration", "0"), ("log_analyze", "on"),
                            ("log_timing", "on"), ("log_format", "json"),
                            ("log_level", "notice")):
            c.execute(f"SET auto_explain.{name} = '{value}'")
    connection.connection.add_notice_handler(
        lambda d: notices.append(d.message_primary or ""))
    totals, helds, orders = [], [], []
    for d in waiting:
        notices.clear()
        body = {"data": {"result_draft": d.result_draft.pk}} if d.result_draft else {}
        r = head_client.post(f"/api/v1/dossiers/{d.code}/actions/approve/", body,
                             format="json")
        assert r.status_code == 200, r.content[:500]
        for message in notices:
            m = re.match(r"duration: ([\d.]+) ms\s+plan:\s*(.*)", message, re.S)
            if not m or "results_resultcounter" not in message:
                continue
            plan = json.loads(m.group(2))
            if "results_resultcounter" not in plan.get("Query Text", ""):
                continue
            ctes: dict[str, float] = {}
            _cte_times(plan["Plan"], ctes)
            totals.append(float(m.group(1)))
            helds.append(sum(t for name, t in ctes.items() if re.fullmatch(r"h\d+", name)))
            orders.append(" h-first" if "/*after held*/" not in plan["Query Text"]
                          and "(SELECT count(*) FROM h0)" in plan["Query Text"] else " n-first")
    ms = statistics.median
    print(f"approvals {len(totals)} ({', '.join(sorted(set(orders)))}): statement "
          f"{ms(totals):.3f} ms in the executor, of it the held writes {ms(helds):.3f} ms; the "
          f"counter locked for {ms([t - h for t, h in zip(totals, helds, strict=True)]):.3f} ms "
          f"of it with the held writes first, for all of it with them last")


if __name__ == "__main__":
    main()
