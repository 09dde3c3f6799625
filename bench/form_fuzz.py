"""Hostile values into every server-rendered page and form, as each kind of account.

    DJANGO_DEBUG=1 .venv/bin/python bench/form_fuzz.py                     # ~10 min, SQLite
    DJANGO_DEBUG=1 .venv/bin/python bench/form_fuzz.py --budget 60 --only 'thu-tuc|tra-cuu'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_formfuzz \
        DJANGO_DEBUG=1 .venv/bin/python bench/form_fuzz.py        # an existing, empty database

The API has schemathesis (bench/api_fuzz.py); the pages have this. It builds a fresh SQLite
database with the demo province (or fills the empty PostgreSQL database DATABASE_URL names),
then, in process with Django's test client (exceptions raised, so each one comes with its place
in the code), for every URL pattern and every demo account (anonymous, citizen, desk,
specialist, head at the centre, a department and a commune, admin, reform, appraiser, PAKN,
screen): HEAD, OPTIONS, PUT and GET with
known and made-up path values and non-UTF-8 query strings; then every form the page holds, and
the query keys its links and htmx attributes name, sent back with hostile values (very long,
NUL, 30 February, 31/12/9999, 2^63, "²", lists where one value is expected, missing fields),
plus an empty POST, bodies the parser cannot read and, once per form, oversized multipart
bodies (too many fields, too many files, a 3 MB field, an 11 MB file). It prints each distinct
failure (an exception or a 5xx) with the request that gave it, and exits non-zero on any.
Log-out and language forms are left alone, so each account stays itself.
"""

import argparse
import logging
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Every role of the demo (accounts/demo.py, reform/demo_*.py, feedback/demo.py): the citizen;
# desk, specialist, head at the centre, a department and a commune; the province's head;
# the administrator; reform officers of the province, of Home Affairs and of a department; the
# appraiser; the PAKN officers of the centre and of a department; the evaluation screen.
USERS = ["anon", "congdan", "tiepnhan", "chuyenvien.tp", "lanhdao.tp", "quantri", "noivu.cchc",
         "thamdinh", "cchc.tp", "phananh.ttpvhcc", "lanhdao.tinh", "manhinh.quay1",
         "tiepnhan.bacnhatrang", "lanhdao.bacnhatrang", "chuyenvien.nhatrang", "phananh.stp",
         "caicach"]
HOSTILE = [
    "x" * 70_000, "Nguyễn " * 3000, "\x00", "a\x00b", "-1", "-99999999999999999999",
    "99999999999999999999999999", str(2**63), str(2**31), "0", "1e309", "NaN", "inf", "1.5",
    "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "0001-01-01", "31/02/2026",
    "2026-02-30T25:61", "²", "፩", "١٢", "１２３", "😀" * 50, "\u202e\u200b", " ", "",
    "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%", "{}", "[]", "null",
    "true", "a,b,c", "\r\n\r\nX: y", "000.00.12.H56", "ZZZ", "-0", "+1", "0x10", "2020-02-29",
]
RAW_QUERIES = ["%ff%fe", "%c3%28", "%e2%28%a1", "%", "%zz", "a=%ff", "page=%80", "q=%c0%af"]
SKIPPED_ACTIONS = ("dang-xuat", "setlang")


class Fuzzer:
    def __init__(self, *, seed: int, budget: float, variants: int) -> None:
        self.rng = random.Random(seed)
        self.budget = budget
        self.variants = variants
        self.started = time.monotonic()
        self.requests = 0
        self.oversized: set[tuple[str, str]] = set()
        self.silent: dict[str, set[str]] = defaultdict(set)
        self.failures: dict[str, list[tuple]] = defaultdict(list)

    def out_of_time(self) -> bool:
        return time.monotonic() - self.started > self.budget

    def send(self, client, who: str, method: str, path: str, **kw):
        self.requests += 1
        try:
            response = getattr(client, method)(path, **kw)
        except Exception as exc:  # noqa: BLE001 - every exception is a finding
            frames = [f for f in traceback.extract_tb(exc.__traceback__)
                      if str(ROOT) in f.filename and ".venv" not in f.filename]
            where = (f"{Path(frames[-1].filename).relative_to(ROOT)}:{frames[-1].lineno}"
                     if frames else "?")
            self._record(f"{type(exc).__name__} at {where}", who, method, path, kw, repr(exc))
            return None
        if response.status_code >= 500:
            self._record(f"status {response.status_code} {method.upper()} {path[:80]}", who,
                         method, path, kw, "")
        return response

    def _record(self, key: str, who: str, method: str, path: str, kw: dict, error: str) -> None:
        data = kw.get("data")
        shown = ({k: [str(x)[:40] for x in (v if isinstance(v, list) else [v])]
                  for k, v in data.items()} if isinstance(data, dict) else str(data)[:120])
        self.failures[key].append((who, method.upper(), path[:160], shown, error[:300]))
        if len(self.failures[key]) == 1:
            print(f"!! {key}: {who} {method.upper()} {path[:160]} {str(shown)[:300]}\n"
                  f"   {error[:300]}", flush=True)

    def hostile(self, fields: dict[str, list], files: list[str], count: int) -> list[dict]:
        out = []
        names = list(fields)
        for _ in range(count):
            data: dict = {k: list(v) for k, v in fields.items()}
            for name in self.rng.sample(names, min(len(names), self.rng.choice([1, 1, 2, 3]))):
                shape = self.rng.random()
                if shape < 0.15:
                    data[name] = self.rng.sample(HOSTILE, 3)  # a list where one value is meant
                elif shape < 0.2:
                    data.pop(name)
                else:
                    data[name] = [self.rng.choice(HOSTILE)]
            if self.rng.random() < 0.3:
                extra = self.rng.choice(["page", "trang", "sort", "id", "unit", "status"])
                data[extra] = [self.rng.choice(HOSTILE)]
            for name in files:
                self._file(data, name)
            out.append(data)
        return out

    def _file(self, data: dict, name: str) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        choice = self.rng.random()
        if choice < 0.3:
            data[name] = SimpleUploadedFile("a.pdf", b"%PDF-1.4 not really", "application/pdf")
        elif choice < 0.5:
            data[name] = SimpleUploadedFile("x" * 300 + ".pdf", b"", "application/pdf")
        elif choice < 0.6:
            data[name] = SimpleUploadedFile("a.exe", b"MZ" + b"\x00" * 100, "application/x-exe")


ERROR_MARKS = (b"errorlist", b'class="error', b"alert--error", b"message--error",
               b'aria-invalid="true"', b'role="alert"')


def silent(response) -> bool:
    """An empty POST answered by the same form again (200, HTML) with no word of what is
    missing: the person who pressed the button is left guessing."""
    return (response.status_code in (200, 400, 409, 422)
            and "html" in response.get("Content-Type", "")
            and b"<form" in response.content
            and not any(mark in response.content for mark in ERROR_MARKS))


def oversized(fields: dict[str, list], files: list[str]) -> list[dict]:
    """Multipart bodies past Django's limits (1,000 fields, 100 files, 2.5 MB outside files)
    and past the upload limit of a file (MOTCUA_UPLOAD_MAX_FILE_MB, 10 MB)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    base = {k: list(v) for k, v in fields.items()}
    many_fields = base | {f"f{i}": "x" for i in range(1_100)}
    many_files = base | {"tep": [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4", "application/pdf")
                                 for i in range(120)]}
    big_field = base | {(next(iter(fields), None) or "ghi_chu"): "x" * 3_000_000}
    out = [many_fields, many_files, big_field]
    if files:
        out.append(base | {files[0]: SimpleUploadedFile(
            "lon.pdf", b"%PDF-1.4\n" + b"0" * 11_000_000, "application/pdf")})
    return out


def concrete_paths(rng: random.Random, per_pattern: int) -> list[tuple[str, list[str]]]:
    """Every URL pattern of the pages with its parameters filled: a known value first, then
    others known or made up."""
    from django.urls import URLPattern, URLResolver, get_resolver

    from catalog.models import Procedure
    from dossiers.models import Dossier
    from feedback.models import Feedback

    codes = (list(Dossier.objects.values_list("code", flat=True)[:12])
             + list(Procedure.objects.values_list("code", flat=True)[:2])
             + list(Feedback.objects.values_list("code", flat=True)[:2])
             + ["KHONG-CO", "x" * 300, "%ff", "..", "ĐĐ"])
    known = {"code": codes, "int": ["1", "2", "3", "0", "9" * 23, str(2**63), str(2**31)],
             "str": ["all", "moi", "x" * 300, "%c3%28"],
             "uuid": ["0b8f1b7e-6d2c-4a8e-9a51-2f8f0f0c1d2e"], "slug": ["approve", "xoa", "x"]}
    out = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
                continue
            if not isinstance(p, URLPattern):
                continue
            full = prefix + route
            if full.startswith(("admin/", "api/", "oidc/", "i18n", "^")) or "(?P" in full:
                continue
            paths = [full]
            for m in re.finditer(r"<(?:(\w+):)?(\w+)>", full):
                converter, name = m.group(1) or "str", m.group(2)
                values = (known[converter] if converter in ("int", "uuid")
                          else known.get(name) or known.get(converter) or known["str"])
                picked = [values[0]] + rng.sample(values[1:], min(per_pattern, len(values) - 1))
                paths = [path.replace(m.group(0), v, 1) for path in paths for v in picked]
            out.append((full, ["/" + x for x in paths]))

    walk(get_resolver().url_patterns, "")
    return out


def forms_of(html: bytes, here: str) -> list[dict]:
    import lxml.html

    try:
        doc = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - not a page: no forms
        return []
    found = []
    for form in doc.forms:
        action = form.get("action") or here
        if action.startswith(("http", "//")):
            continue
        if not action.startswith("/"):
            action = here.split("?")[0]
        fields: dict[str, list] = {}
        files = []
        for el in form.inputs:
            name = el.get("name")
            kind = (el.get("type") or "").lower()
            if not name:
                continue
            if kind == "file":
                files.append(name)
            elif el.tag == "select":
                options = [o.get("value") or o.text or "" for o in el.iter("option")]
                fields.setdefault(name, []).append(options[-1] if options else "")
            elif kind in ("checkbox", "radio"):
                fields.setdefault(name, []).append(el.get("value") or "on")
            else:
                fields.setdefault(name, []).append(el.get("value") or "")
        for button in form.iter("button"):
            if button.get("name"):
                fields.setdefault(button.get("name"), [button.get("value") or ""])
        found.append({"action": action.split("#")[0], "method": (form.get("method") or "get")
                      .lower(), "fields": fields, "files": files})
    return found


def query_keys(html: bytes) -> set[str]:
    """The query keys the page's links and htmx requests use."""
    import lxml.html

    try:
        doc = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001
        return set()
    keys: set[str] = set()
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        href = el.get("href") or el.get("hx-get") or el.get("hx-post") or ""
        if "?" in href and href.startswith(("/", "?")):
            keys.update(k for k, _ in parse_qsl(urlsplit(href).query, keep_blank_values=True))
    return keys


def page(fuzzer: Fuzzer, client, who: str, path: str) -> None:
    for method in ("head", "options"):
        fuzzer.send(client, who, method, path)
    fuzzer.send(client, who, "put", path, data="a=1",
                content_type="application/x-www-form-urlencoded")
    response = fuzzer.send(client, who, "get", path)
    for raw in fuzzer.rng.sample(RAW_QUERIES, 2):
        fuzzer.send(client, who, "get", f"{path}?{raw}")
    if response is None or response.status_code != 200 \
            or "html" not in response.get("Content-Type", ""):
        return
    forms = [f for f in forms_of(response.content, path)
             if not any(s in f["action"] for s in SKIPPED_ACTIONS)]
    keys = query_keys(response.content)
    if keys:
        for data in fuzzer.hostile({k: [""] for k in keys}, [], fuzzer.variants):
            fuzzer.send(client, who, "get", path, data=data)
    for form in forms:
        if form["method"] == "post":
            empty = fuzzer.send(client, who, "post", form["action"], data={})
            if empty is not None and silent(empty):
                fuzzer.silent[form["action"]].add(who)
            fuzzer.send(client, who, "post", form["action"], data="a=%ff%fe&b=%c3%28",
                        content_type="application/x-www-form-urlencoded")
            fuzzer.send(client, who, "post", form["action"], data=b"--x\r\nbad",
                        content_type="multipart/form-data; boundary=x")
            for data in fuzzer.hostile(form["fields"], form["files"], 3 * fuzzer.variants):
                fuzzer.send(client, who, "post", form["action"], data=data)
            if (who, form["action"]) not in fuzzer.oversized:
                fuzzer.oversized.add((who, form["action"]))
                for data in oversized(form["fields"], form["files"]):
                    fuzzer.send(client, who, "post", form["action"], data=data)
        else:
            for data in fuzzer.hostile(form["fields"], [], 2 * fuzzer.variants):
                fuzzer.send(client, who, "get", form["action"], data=data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budget", type=float, default=600, help="seconds (default 600)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--variants", type=int, default=6,
                        help="hostile variants of a GET form (twice) and a POST form (three "
                             "times this many) on each page")
    parser.add_argument("--per-pattern", type=int, default=2,
                        help="path values tried besides the first known one")
    parser.add_argument("--only", default="", help="a regular expression on the URL patterns")
    parser.add_argument("--users", default=",".join(USERS))
    parser.add_argument("--skip", type=int, default=0,
                        help="leave out the first N patterns of the (seeded) order: a second run "
                             "with the same seed goes on where a first one ran out of time")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="motcua-form-fuzz-"))
    try:
        # PostgreSQL when asked for: its errors (integer ranges, NUL bytes in text, lock and
        # transaction states) are not SQLite's.
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/fuzz.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        os.environ.setdefault("DJANGO_DEBUG", "1")
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import override_settings, setup_test_environment

        from accounts.models import User

        setup_test_environment()  # mail to the in-memory outbox, the demo's included
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        logging.disable(logging.CRITICAL)  # the 4xx answers are expected; failures are printed
        fuzzer = Fuzzer(seed=args.seed, budget=args.budget, variants=args.variants)
        with override_settings(MOTCUA_SECOND_FACTOR_REQUIRED=False, ALLOWED_HOSTS=["*"]):
            clients = {}
            for who in args.users.split(","):
                clients[who] = Client(raise_request_exception=True)
                if who != "anon":
                    clients[who].force_login(User.objects.get(username=who))
            patterns = [p for p in concrete_paths(fuzzer.rng, args.per_pattern)
                        if re.search(args.only, p[0])]
            fuzzer.rng.shuffle(patterns)
            patterns = patterns[args.skip:]
            done = 0
            for _pattern, paths in patterns:
                if fuzzer.out_of_time():
                    break
                for who, client in clients.items():
                    for path in paths:
                        page(fuzzer, client, who, path)
                done += 1
        print(f"\n{fuzzer.requests:,} requests over {done}/{len(patterns)} URL patterns and "
              f"{len(clients)} accounts in {time.monotonic() - fuzzer.started:.0f} s; "
              f"{len(fuzzer.failures)} distinct failures")
        for action, accounts in sorted(fuzzer.silent.items()):
            print(f"silent empty POST: {action} ({', '.join(sorted(accounts))})")
        for key, items in sorted(fuzzer.failures.items()):
            print(f"\n== {key} ({len(items)}x)")
            for item in items[:3]:
                print("   ", item)
        return 1 if fuzzer.failures else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
