"""Schemathesis against the whole API: every operation, coverage, fuzzing and stateful phases.

    .venv/bin/python bench/api_fuzz.py                       # ≥ 20,000 cases, SQLite, ~15 min
    .venv/bin/python bench/api_fuzz.py --max-examples 30     # a quick look
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_fuzz .venv/bin/python bench/api_fuzz.py

It builds a database with the demo province (a fresh SQLite file unless DATABASE_URL names an
existing empty PostgreSQL database), starts gunicorn with production settings (DEBUG off), and
runs `st run` with the demo desk officer's token. The checks are the issue's: no server error
(5xx) and no status code the schema does not document. It prints the machine, the number of
generated cases and the failures, and exits non-zero on any failure or below --min-cases.

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


def known_values() -> dict[str, list]:
    """Identifiers that exist in the database (demo data), so that schemathesis reaches past
    the 404 of an unknown code half of the time; the other half it makes its own up.

    `code` names a dossier, a procedure or a PAKN item (the three share the parameter's
    name); `id` the first rows of the reform and regulation tables; `action` the actions the
    four state machines know. Without them a first run (47,226 cases) left 33 operations
    answering nearly only 404."""
    from catalog.models import Procedure
    from dossiers.models import Dossier, DossierDocument, DossierFile
    from dossiers.states import TRANSITIONS as DOSSIER_ACTIONS
    from feedback.models import Feedback
    from feedback.states import TRANSITIONS as FEEDBACK_ACTIONS
    from payments.models import Payment
    from reform.api.par import ACTIONS as PAR_ACTIONS
    from reform.models import ParAssessment, ParRound, ParScore, Plan, SipasRound, Task
    from regulations.models import Provision, ReviewRound
    from regulations.states import ACTION_LABELS as PROVISION_ACTIONS
    from results.models import StoredDocument

    codes = list(Dossier.objects.order_by("pk").values_list("code", flat=True)[:10])
    ids: set[int] = set()
    for model in (ParAssessment, ParRound, Plan, SipasRound, Task, Provision, ReviewRound):
        ids.update(model.objects.order_by("pk").values_list("pk", flat=True)[:3])
    return {
        "code": codes
        + list(Procedure.objects.order_by("pk").values_list("code", flat=True)[:3])
        + list(Feedback.objects.order_by("pk").values_list("code", flat=True)[:3]),
        "document_id": list(DossierDocument.objects.filter(dossier__code__in=codes)
                            .values_list("pk", flat=True)[:10]),
        "reference": list(Payment.objects.values_list("reference", flat=True)[:5]),
        "uid": [str(u) for u in StoredDocument.objects.values_list("uid", flat=True)[:5]],
        "token": [str(t) for t in DossierFile.objects.values_list("token", flat=True)[:5]],
        "id": sorted(ids),
        "score_pk": list(ParScore.objects.order_by("pk").values_list("pk", flat=True)[:5]),
        "action": sorted(set(DOSSIER_ACTIONS) | set(FEEDBACK_ACTIONS) | set(PAR_ACTIONS)
                         | set(PROVISION_ACTIONS)),
    }


def _config(path: Path, values: dict[str, list]) -> None:
    lines = []
    for name, items in values.items():
        if items:
            lines.append(f"[dictionaries.{name}]")
            lines.append(f"values = {json.dumps(items)}")
    lines.append("")
    lines.append("[parameters]")
    for name, items in values.items():
        if items:
            lines.append(f'"path.{name}" = {{ dictionary = "{name}", probability = 0.5 }}')
    path.write_text("\n".join(lines) + "\n")


def fuzz(base_url: str, token: str, *, values: dict[str, list], max_examples: int,
         phases: str = PHASES, workers: int = 2, seed: int | None = None,
         max_time: int | None = None) -> FuzzResult:
    """Run `st run` against `base_url` (the schema at /api/schema/) as the holder of `token`."""
    with tempfile.TemporaryDirectory(prefix="motcua-fuzz-") as tmp:
        config = Path(tmp) / "schemathesis.toml"
        _config(config, values)
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


@contextmanager
def production_server(database_url: str, *, workers: int = 3) -> Iterator[str]:
    """gunicorn on a free local port with production settings (DEBUG off, its own secret key)
    on `database_url`; yields its base URL and stops it afterwards."""
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
         f"127.0.0.1:{port}", "-w", str(workers), "--timeout", "120", "--log-level", "warning"],
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
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from bench.machine import describe

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="tiepnhan"))
    values = known_values()
    connection.close()
    print(f"machine: {describe()}")
    print(f"database: {url.split('@')[-1]}; demo loaded in {time.monotonic() - started:.0f} s")

    with production_server(url, workers=args.server_workers) as base:
        started = time.monotonic()
        result = fuzz(base, token.key, values=values, max_examples=args.max_examples,
                      workers=args.workers, seed=args.seed)
        seconds = time.monotonic() - started
    summary = result.output[result.output.rfind("SUMMARY"):] if "SUMMARY" in result.output \
        else result.output[-4000:]
    if result.failed and "FAILURES" in result.output:
        # Each failure with the request that reproduces it (schemathesis prints a curl line).
        print(result.output[result.output.find("FAILURES"):result.output.rfind("SUMMARY")].strip())
    print(summary.strip() if result.failed or not result.ok else summary.strip()[-1500:])
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
