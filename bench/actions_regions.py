"""Instructions an approval spends inside each of a few functions, counted (issue #18).

    .venv/bin/python bench/actions_regions.py --database <a bench database> [--template <prepared>]
                     [--count 8] [--warm 4] [--region module.function …]

bench/actions_instructions.py counts a whole request; this says which part of an approval costs
what. The approval runs through the API (as that bench runs it: DEBUG off, the head's token, the
specialist's draft named) under `valgrind --tool=callgrind` with the instrumentation on from the
first measured batch and the collection off; each function named (`--region`, every one of
`REGIONS` by default) is wrapped where its callers look it up, and callgrind collects only while
it runs (`CALLGRIND_TOGGLE_COLLECT` at its outermost entry and exit), one batch of `--count`
approvals a function after `--warm` unmeasured ones, the garbage collector off in the batches
(a collection falls where the allocations lead it, not where the work is). Printed: instructions
an approval inside each function, inclusive of its callees, and the whole request's. The
wrappers cost a few thousand instructions a call of their own. A function imported by name
elsewhere than its module is counted only where `REGIONS` says it is looked up.

Uses a database prepared as bench/actions_instructions.py's (`--template` makes `--database`
afresh as its copy first); leaves its dossiers in it.
"""

import argparse
import functools
import gc
import importlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (the module a function's callers look it up in, its name): the approval's own code first.
REGIONS = [
    ("results.services", "results_on_event"), ("results.services", "result_issue"),
    ("results.services", "result_store"), ("results.services", "result_prepare"),
    ("results.services", "stored_write"), ("results.storing", "row_values"),
    ("results.services", "row_new"), ("results.services", "facts_dump"),
    ("results.services", "signer_block"), ("results.services", "signers_for"),
    ("results.services", "verify_url"), ("results.services", "result_facts"),
    ("results.services", "lock_versions"), ("results.services", "_number_kept"),
    ("dossiers.services.transitions", "_approve"),
    ("dossiers.services.transitions", "_settled_timing"),
    ("dossiers.services.transitions", "statutory_due"),
    ("dossiers.services.transitions", "calendar_for_unit"),
    ("dossiers.services.transitions", "_locked"),
    ("dossiers.services.transitions", "_lists_load"),
    ("dossiers.services.transitions", "_write"),
    ("sync.outbox", "outbox_record"), ("motcua.prepared", "joined_send"),
]
WHOLE = "the whole request"

_C = r"""
#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void cg_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
void cg_zero(void) { CALLGRIND_ZERO_STATS; }
void cg_dump(const char *s) { CALLGRIND_DUMP_STATS_AT(s); }
void cg_toggle(void) { CALLGRIND_TOGGLE_COLLECT; }
"""


def _library(directory: Path):
    import ctypes

    source, lib = directory / "cg.c", directory / "cg.so"
    source.write_text(_C)
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", str(lib), str(source)], check=True)
    return ctypes.CDLL(str(lib))


def child(args, regions: list[tuple[str, str]]) -> None:
    cg = _library(Path(args.child))
    from bench.actions_setup import actions_django, actions_filing, at_head, token_client

    actions_django(args.database)
    from accounts.models import User

    active: list[str | None] = [None]
    depth: dict[str, int] = {}

    def wrapped(f, name: str):
        @functools.wraps(f)
        def counted(*a, **k):
            outermost = active[0] == name and not depth.get(name)
            depth[name] = depth.get(name, 0) + 1
            if outermost:
                cg.cg_toggle()
            try:
                return f(*a, **k)
            finally:
                if outermost:
                    cg.cg_toggle()
                depth[name] -= 1
        return counted

    import dossiers.services.transitions as transitions

    for module_name, name in regions:
        module = importlib.import_module(module_name)
        counted = wrapped(getattr(module, name), name)
        setattr(module, name, counted)
        if module is transitions and transitions.HANDLERS.get(name.lstrip("_")) is not None:
            transitions.HANDLERS[name.lstrip("_")] = counted
    desk = User.objects.get(username="tiepnhan")
    filing = actions_filing()
    client = token_client(desk)
    names = list(dict.fromkeys(name for _, name in regions)) + [WHOLE]
    codes = [client.post("/api/v1/dossiers/", filing, format="json").json()["code"]
             for _ in range(args.warm + args.count * len(names))]
    waiting, head = at_head(codes, desk)
    left = iter(waiting)

    def approve() -> None:
        d = next(left)
        r = head.post(f"/api/v1/dossiers/{d.code}/actions/approve/",
                      {"data": {"result_draft": d.result_draft.pk}} if d.result_draft else {},
                      format="json")
        assert r.status_code == 200, r.content[:500]

    for _ in range(args.warm):
        approve()
    cg.cg_start()
    gc.disable()
    for name in names:
        gc.collect()
        cg.cg_zero()
        active[0] = name
        if name == WHOLE:
            cg.cg_toggle()
        for _ in range(args.count):
            approve()
        if name == WHOLE:
            cg.cg_toggle()
        active[0] = None
        cg.cg_dump(name.encode())
    gc.enable()
    cg.cg_stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--template", default="")
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--warm", type=int, default=4)
    parser.add_argument("--region", action="append", default=None,
                        help="module.function, as the callers look it up (default: REGIONS)")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    regions = ([tuple(r.rsplit(".", 1)) for r in args.region] if args.region else REGIONS)
    if args.child:
        child(args, regions)
        return
    if args.template:
        for sql in (f'DROP DATABASE IF EXISTS "{args.database}"',
                    f'CREATE DATABASE "{args.database}" TEMPLATE "{args.template}"'):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres",
                            "-qc", sql], check=True, capture_output=True)
    directory = Path(tempfile.mkdtemp(prefix="actions_regions."))
    command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no",
               "--dump-instr=no", f"--callgrind-out-file={directory}/callgrind.out",
               sys.executable, __file__, "--child", str(directory), *sys.argv[1:]]
    done = subprocess.run(command, env=dict(os.environ, PYTHONHASHSEED="0"),
                          stderr=subprocess.PIPE, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr[-4000:])
        sys.exit(done.returncode)
    print(f"\n== instructions an approval inside each function (callgrind, {args.count} "
          f"approvals each after {args.warm} unmeasured; inclusive)")
    dumps = sorted(directory.glob("callgrind.out.*"), key=lambda p: int(p.suffix[1:]))
    for dump in dumps:
        text = dump.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.M)
        total = re.search(r"^totals: (\d+)", text, re.M)
        if label and total:
            print(f"   {label.group(1):32s} {int(total.group(1)) // args.count:>12,}")


if __name__ == "__main__":
    main()
