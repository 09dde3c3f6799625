"""How long a filing and an approval hold their number's counter row (issue #18), in process.

    .venv/bin/python bench/lock_hold.py --database <a bench database> [--count 100]

Uses a database prepared by bench/submissions.py (`--prepare-only`). Files `--count` dossiers
through the API and `--count` through the essential filing (bench/essential_filing.py), moves
them to the head's step, and approves half through the API and half through the essential
approval (bench/essential_actions.py), one request at a time (no other request waits: this is
the hold's own length, the least it can be). For each request it times, on the client, what runs
from the moment the statement taking the number (the desk's daily code counter, the unit's yearly
result counter) is sent to the end of the COMMIT — when that row is locked: that statement, each
statement after it, the Python between them (the "gaps"), and the COMMIT. Medians in
milliseconds. Under load each gap and each round trip also waits for a CPU, while every other
filing of the desk (approval of the unit) waits for the row.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTERS = ("dossiers_codecounter", "results_resultcounter")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()
    from bench.actions_setup import actions_django, actions_filing, at_head, token_client

    actions_django(args.database)
    from django.db import connection, transaction

    from accounts.models import User

    marks: list[tuple[str, float]] = []
    holds: list[list[tuple[str, float]]] = []

    def watch(execute, sql, params, many, context):
        if not marks and any(c in sql for c in COUNTERS):
            marks.append(("sent", time.perf_counter()))
            transaction.on_commit(lambda: (marks.append(("committed", time.perf_counter())),
                                           holds.append(list(marks)), marks.clear()))
        elif marks:
            marks.append(("sent", time.perf_counter()))
        try:
            return execute(sql, params, many, context)
        finally:
            if marks:
                marks.append(("back", time.perf_counter()))

    # A statement sent with the COMMIT in pipeline mode (motcua/prepared.py `joined_send`, when
    # the checkout has it) comes back when the pipeline does, after its `execute` returned.
    import motcua.prepared as prepared

    sending = getattr(prepared, "joined_send", None)
    if sending is not None:
        def joined_send(*a, **kw):
            try:
                return sending(*a, **kw)
            finally:
                if marks:
                    marks.append(("back", time.perf_counter()))

        prepared.joined_send = joined_send
        import bench.essential_actions as essential_actions

        if hasattr(essential_actions, "joined_send"):
            essential_actions.joined_send = joined_send
    committing = connection._commit

    def commit():
        if marks:
            marks.append(("commit", time.perf_counter()))
        return committing()

    def summary(name: str) -> None:
        totals, dbs, commits, pythons = [], [], [], []
        for m in holds:
            db, start, end, commit_at = 0.0, None, None, m[-1][1]
            for kind, t in m:
                if kind in ("sent", "commit") and start is not None and end is not None:
                    db += end - start
                    start = end = None
                if kind == "sent":
                    start = t
                elif kind == "back":
                    end = t
                elif kind == "commit":
                    commit_at = t
            total = m[-1][1] - m[0][1]
            totals.append(total)
            dbs.append(db)
            commits.append(m[-1][1] - commit_at)
            pythons.append(total - db - (m[-1][1] - commit_at))
        if not totals:
            print(f"{name}: no number taken")
            return
        ms = lambda v: 1000 * statistics.median(v)  # noqa: E731
        print(f"{name:22} n={len(totals):4}  hold {ms(totals):6.2f} ms: statements (sent to "
              f"answered) {ms(dbs):5.2f}, Python in between {ms(pythons):5.2f}, COMMIT "
              f"{ms(commits):5.2f}")
        holds.clear()

    desk = User.objects.get(username="tiepnhan")
    filing = actions_filing()
    desk_client = token_client(desk)
    codes: dict[str, list[str]] = {"api": [], "essential": []}
    connection.ensure_connection()
    connection._commit = commit
    with connection.execute_wrapper(watch):
        for path, key in (("/api/v1/dossiers/", "api"), ("/bench/essential/dossiers/",
                                                         "essential")):
            for _ in range(args.count):
                r = desk_client.post(path, filing, format="json")
                assert r.status_code == 201, r.content
                codes[key].append(r.json()["code"])
            summary(f"filing ({key})")
    every = codes["api"] + codes["essential"]
    waiting, head_client = at_head(every, desk)
    half = len(waiting) // 2
    with connection.execute_wrapper(watch):
        for name, path, group in (("approve (api)", "/api/v1/dossiers/{}/actions/approve/",
                                   waiting[:half]),
                                  ("approve (essential)", "/bench/essential/{}/approve/",
                                   waiting[half:])):
            for d in group:
                r = head_client.post(path.format(d.code),
                                     {"data": {"result_draft": d.result_draft.pk}}
                                     if d.result_draft else {}, format="json")
                assert r.status_code == 200, r.content
            summary(name)


if __name__ == "__main__":
    main()
