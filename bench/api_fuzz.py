"""Schemathesis against the whole API: every operation, coverage, fuzzing and stateful phases.

    .venv/bin/python bench/api_fuzz.py                       # ≥ 20,000 cases, SQLite, ~15 min
    .venv/bin/python bench/api_fuzz.py --max-examples 30     # a quick look
    .venv/bin/python bench/api_fuzz.py --max-time 3600       # an hour, however many cases
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_fuzz .venv/bin/python bench/api_fuzz.py

It builds a database with the demo province (a fresh SQLite file unless DATABASE_URL names an
existing empty PostgreSQL database), adds what the demo lacks for some routes (payment demands,
evaluations, a file on a few papers), starts gunicorn with production settings (DEBUG off), and
runs `st run` with each operation as the demo account that gets past its door, offered the
identifiers of its own route family half the time (bench/api_fuzz_targets.py). The checks are
the issue's: no server error (5xx) and no status code the schema does not document. It prints
the machine, the number of generated cases and the failures, the status codes each operation
answered (gunicorn's access log: which answered only 404, only 401/403, never a 2xx), and exits
non-zero on any failure or below --min-cases.

The test suite runs the same `fuzz` function with a small budget against its live server
(motcua/tests/test_api_fuzzing.py), on both databases.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHECKS = "not_a_server_error,status_code_conformance"
PHASES = "examples,coverage,fuzzing,stateful"


@dataclass
class FuzzResult:
    generated: int
    passed: int
    failed: int
    output: str
    returncode: int

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.failed == 0


def _toml(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _config(path: Path, targets: list, tokens: dict[str, str]) -> None:
    """One block per operation (bench/api_fuzz_targets.py): its account's token, and its own
    dictionaries of identifiers, offered half the time."""
    lines = []
    for number, target in enumerate(targets):
        for name, items in target.values.items():
            lines += [f"[dictionaries.op{number}_{name}]", f"values = {_toml(items)}"]
    for number, target in enumerate(targets):
        if target.username is None and not target.values:
            continue
        # The operation's id, one filter: an include-path and an include-method are two
        # filters that schemathesis joins with "or" (every GET would take this block).
        lines += ["", "[[operations]]", f"include-operation-id = {_toml(target.operation_id)}"]
        if target.username is not None:
            header = _toml(f"Token {tokens[target.username]}")
            lines.append(f"headers = {{ Authorization = {header} }}")
        if target.values:
            lines.append("[operations.parameters]")
            for name in target.values:
                lines.append(f'"path.{name}" = {{ dictionary = "op{number}_{name}", '
                             f"probability = 0.5 }}")
    path.write_text("\n".join(lines) + "\n")


def fuzz(base_url: str, token: str, *, targets: list, tokens: dict[str, str], max_examples: int,
         phases: str = PHASES, workers: int = 2, seed: int | None = None,
         max_time: int | None = None) -> FuzzResult:
    """Run `st run` against `base_url` (the schema at /api/schema/): each operation as its
    target's account (`tokens` by username), the others as the holder of `token`."""
    with tempfile.TemporaryDirectory(prefix="motcua-fuzz-") as tmp:
        config = Path(tmp) / "schemathesis.toml"
        _config(config, targets, tokens)
        command = [str(Path(sys.executable).parent / "st"), "--config-file", str(config), "run",
                   f"{base_url.rstrip('/')}/api/schema/", "--url", base_url.rstrip("/"),
                   "-H", f"Authorization: Token {token}", "--phases", phases,
                   "--checks", CHECKS, "--max-examples", str(max_examples),
                   "-w", str(workers), "--no-color", "--suppress-health-check", "all",
                   "--request-timeout", "60"]
        if seed is not None:
            command += ["--seed", str(seed)]
        if max_time is not None:
            command += ["--max-time", str(max_time)]
        run = subprocess.run(command, cwd=tmp, capture_output=True, text=True,
                             env=os.environ | {"NO_COLOR": "1"})
    output = run.stdout + run.stderr
    found = re.search(r"(\d[\d,]*) generated(?:, (\d[\d,]*) found (\d[\d,]*) unique failures)?"
                      r"(?:, (\d[\d,]*) passed)?", output)
    number = (lambda text: int(text.replace(",", "")) if text else 0)  # noqa: E731
    generated = number(found.group(1)) if found else 0
    failures = number(found.group(3)) if found else 0
    passed = number(found.group(4)) if found else 0
    return FuzzResult(generated, passed, failures, output, run.returncode)


def answers_by_operation(access_log: Path, schema: dict) -> dict[tuple[str, str], Counter]:
    """The status codes the server gave each operation of `schema`, from gunicorn's access
    log (one "METHOD PATH STATUS" line a request). Schemathesis's own warning ("repeatedly
    returned 404") means only "never a 2xx": this says which operations answered only 404."""
    from bench.api_fuzz_targets import operations

    patterns = [(method.upper(), path,
                 re.compile("^" + re.sub(r"\\{[a-z_]+\\}", "[^/]+", re.escape(path)) + "$"))
                for method, path, _ in operations(schema)]
    counts: dict[tuple[str, str], Counter] = {(m, p): Counter() for m, p, _ in patterns}
    for line in access_log.read_text(errors="replace").splitlines():
        method, _, rest = line.partition(" ")
        url, _, code = rest.rpartition(" ")
        for m, p, pattern in patterns:
            if m == method and pattern.match(url):
                counts[(m, p)][int(code)] += 1
                break
    return counts


@contextmanager
def production_server(database_url: str, *, workers: int = 3,
                      access_log: Path | None = None) -> Iterator[str]:
    """gunicorn on a free local port with production settings (DEBUG off, its own secret key)
    on `database_url`, writing each request's method, path and status to `access_log`; yields
    its base URL and stops it afterwards."""
    port = _free_port()
    pki = Path(tempfile.mkdtemp(prefix="motcua-fuzz-pki-"))
    password = secrets.token_urlsafe(16)
    # A production installation has its agency's certificate; without one, results and
    # digitised papers are refused with a 503 (unsigned e-results have no legal value).
    # "--password=…" in one argument: a random password may begin with "-", which argparse
    # would take for an option (it made one CI run in about sixty fail).
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "results_demo_pki", "--dir",
                    str(pki), f"--password={password}"], cwd=ROOT, check=True,
                   env=os.environ | {"DJANGO_DEBUG": "1", "DATABASE_URL": database_url},
                   stdout=subprocess.DEVNULL)
    env = os.environ | {"DATABASE_URL": database_url, "DJANGO_DEBUG": "0",
                        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                        "MOTCUA_POPULATION_ADAPTER": "simulator",
                        "MOTCUA_SIGNING_PKCS12": str(pki / "unit.p12"),
                        "MOTCUA_SIGNING_PKCS12_PASSWORD": password,
                        "MOTCUA_SIGNING_HEAD_PKCS12": str(pki / "head.p12"),
                        "MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD": password,
                        "MOTCUA_TRUST_ROOTS": str(pki / "ca.pem"),
                        "DJANGO_SESSION_COOKIE_SECURE": "0", "DJANGO_CSRF_COOKIE_SECURE": "0"}
    log = open(pki / "server.log", "w+")  # noqa: SIM115 - read back after the run
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "motcua.wsgi", "-b",
         f"127.0.0.1:{port}", "-w", str(workers), "--timeout", "120", "--log-level", "warning"]
        + (["--access-logfile", str(access_log), "--access-logformat", "%(m)s %(U)s %(s)s"]
           if access_log is not None else []),
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/api/schema/", timeout=5)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("gunicorn stopped at start-up") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(pki, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_TEMPORARY: list[Path] = []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-examples", type=int, default=600,
                        help="cases per operation in the fuzzing phase (default 600: with the "
                             "coverage and stateful phases, over 20,000 in all)")
    parser.add_argument("--min-cases", type=int, default=20_000,
                        help="fail when fewer cases were generated (default 20,000)")
    parser.add_argument("--workers", type=int, default=2, help="schemathesis workers")
    parser.add_argument("--server-workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--max-time", type=int, default=None,
                        help="time budget of the whole run in seconds (schemathesis --max-time: "
                             "the fuzzing and stateful phases repeat until it is spent)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="motcua-fuzz-db-"))
    _TEMPORARY.append(tmp)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/fuzz.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    # The setup (demo data) runs as the demo does; the server below runs as production.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    import yaml
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from accounts.tokens import token_issue
    from bench import api_fuzz_targets as targets_module
    from bench.machine import describe

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    token = token_issue(User.objects.get(username="tiepnhan"))
    made = {"payments": targets_module.demo_payments(),
            "evaluations": targets_module.demo_evaluations(),
            "files": targets_module.demo_files()}
    loaded = time.monotonic() - started
    started = time.monotonic()
    usernames = list(User.objects.filter(is_active=True).order_by("pk")
                     .values_list("username", flat=True))
    schema = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    targets = targets_module.targets(schema, usernames, prefer="tiepnhan")
    tokens = {name: targets_module.account_token(name) for name in usernames}
    connection.close()
    print(f"machine: {describe()}")
    print(f"database: {url.split('@')[-1]}; demo loaded in {loaded:.0f} s "
          f"(and for the fuzz: {', '.join(f'{v} {k}' for k, v in made.items())})")
    unreached = [t for t in targets if t.username is None]
    accounts = sorted({t.username for t in targets if t.username})
    print(f"operations: {len(targets)}; probed in {time.monotonic() - started:.0f} s; "
          f"{len(targets) - len(unreached)} reached past 401/403/404 by one of "
          f"{len(accounts)} accounts ({', '.join(accounts)}); not reached by any:")
    for target in unreached:
        print(f"  {target.method.upper()} {target.path}")

    access_log = tmp / "access.log"
    with production_server(url, workers=args.server_workers, access_log=access_log) as base:
        started = time.monotonic()
        result = fuzz(base, token, targets=targets, tokens=tokens,
                      max_examples=args.max_examples, workers=args.workers, seed=args.seed,
                      max_time=args.max_time)
        seconds = time.monotonic() - started
    summary = result.output[result.output.rfind("SUMMARY"):] if "SUMMARY" in result.output \
        else result.output[-4000:]
    if result.failed and "FAILURES" in result.output:
        # Each failure with the request that reproduces it (schemathesis prints a curl line).
        print(result.output[result.output.find("FAILURES"):result.output.rfind("SUMMARY")].strip())
    print(summary.strip() if result.failed or not result.ok else summary.strip()[-1500:])
    answers = answers_by_operation(access_log, schema)
    only_404 = [op for op, seen in answers.items() if seen and set(seen) == {404}]
    only_refused = [op for op, seen in answers.items() if seen and set(seen) <= {401, 403}]
    never_2xx = [op for op, seen in answers.items()
                 if seen and not any(200 <= code < 300 for code in seen)]
    print(f"answers: {sum(sum(c.values()) for c in answers.values()):,} requests over "
          f"{sum(bool(c) for c in answers.values())} operations; only 404: {len(only_404)}, "
          f"only 401/403: {len(only_refused)}, never a 2xx: {len(never_2xx)}")
    for method, path in sorted(answers):
        seen = answers[(method, path)]
        codes = " ".join(f"{code}:{n}" for code, n in sorted(seen.items()))
        print(f"  {method:6} {path:58} {codes}")
    print(f"cases: {result.generated:,} generated, {result.failed} failures "
          f"(checks: {CHECKS}; phases: {PHASES}) in {seconds:.0f} s "
          f"= {result.generated / max(seconds, 1):.0f} cases/s")
    if result.generated < args.min_cases:
        print(f"fewer than {args.min_cases:,} cases: raise --max-examples")
        return 1
    return 0 if result.ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        # The SQLite file of a run (a few MB each) is not kept between runs.
        for leftover in _TEMPORARY:
            shutil.rmtree(leftover, ignore_errors=True)
