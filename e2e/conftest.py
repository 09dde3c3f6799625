"""Browser tests: headless Debian Chromium driven by Playwright against a live Django server.

One browser for the whole `e2e` package (starting Chromium costs about a second); each test gets
a fresh browser context (its own cookies) and the demo data in the test database: loaded by the
package's first test, copied, and put back from the copy for the others (motcua/table_copy.py).

Why the package scope and the environment variable: Playwright's sync API runs an asyncio event
loop in this thread, and Django refuses ORM calls from a thread with a running loop unless
DJANGO_ALLOW_ASYNC_UNSAFE is set. The fixtures call the ORM (to reset the database and load the
demo) while the browser is open, so the variable is set while the browser lives, and both are
gone when the package's tests end — the rest of the suite keeps Django's safety check.
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from e2e.browser import CHROMIUM, CHROMIUM_ARGS, new_page
from motcua.table_copy import Snapshot

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    # The journeys sign staff in as they do in production: password, then the authenticator's
    # code (e2e/steps.py log_in). The root conftest switches it off for the other tests.
    settings.MOTCUA_SECOND_FACTOR_REQUIRED = True


@pytest.fixture(scope="package", autouse=True)
def _flush_by_delete() -> Iterator[None]:
    """Django empties the database after each transactional test with TRUNCATE; on PostgreSQL
    that gives each of the ~110 tables a new file, about 3 s per test with fsync on, for the few
    thousand rows a browser test leaves. Within this package it deletes them instead (the
    foreign keys are deferred to the commit of flush's transaction, so the order is free)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences:  # asked by no test here; TRUNCATE … RESTART IDENTITY does it
            return truncate(self, style, tables, reset_sequences=True, allow_cascade=allow_cascade)
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(scope="package")
def migrated_data(django_db_setup, django_db_blocker) -> str:
    """What the migrations put in the test database (provinces and communes, the official
    calendar, the default scoring set), as Django serialized it when it created the database.

    Read here, before the browser starts. Django keeps connections in an asgiref `Local` that
    is thread-local only while no asyncio loop runs in the thread; Playwright's sync API runs
    one, so from then on this thread gets other connection objects (same database), which do
    not carry the serialized copy — and Django's own restore before each test is skipped.
    """
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:  # only when no serialized test was collected; kept for safety
        with django_db_blocker.unblock():
            contents = connection.creation.serialize_db_to_string()
    return contents


@pytest.fixture(scope="package")
def browser(migrated_data) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _save_failure(request: pytest.FixtureRequest, page: Page, who: str) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        # The page as it was when the test failed: the first thing to look at.
        SCREENSHOTS.mkdir(exist_ok=True)
        name = re.sub(r"[^a-z0-9_]+", "-", request.node.name.lower()).strip("-")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-failed{who}.png"), full_page=True)


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = new_page(browser)
    yield page
    _save_failure(request, page, "")
    page.context.close()


class People:
    """One browser window per person of a journey, each logged in once through the login page
    and kept open, as the desk officer, the specialist and the citizen each have their own."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.browser = browser
        self.base = base
        self.pages: dict[str, Page] = {}

    def __call__(self, username: str) -> Page:
        from e2e.steps import log_in

        if username not in self.pages:
            self.pages[username] = new_page(self.browser)
            log_in(self.pages[username], self.base, username)
        return self.pages[username]


@pytest.fixture
def people(browser: Browser, site, request: pytest.FixtureRequest) -> Iterator[People]:
    people = People(browser, site.url)
    yield people
    for username, page in people.pages.items():
        _save_failure(request, page, f"-{username}")
        page.context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@dataclass
class Shots:
    """Numbered screenshots of one test: e2e/screenshots/<test>-<nn>-<milestone>.png."""

    test: str
    taken: list[Path] = field(default_factory=list)

    def __call__(self, page: Page, milestone: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{self.test}-{len(self.taken) + 1:02d}-{milestone}.png"
        page.screenshot(path=str(path), full_page=full_page)
        self.taken.append(path)
        return path


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Shots:
    name = re.sub(r"[^a-z0-9_]+", "-", request.node.name.lower()).strip("-")
    for old in SCREENSHOTS.glob(f"{name}-*.png"):
        old.unlink()  # a rerun replaces the pictures instead of mixing two runs
    return Shots(name)


@dataclass
class Site:
    url: str

    def __call__(self, path: str) -> str:
        return self.url + path


def restore_migrated_data(data: str) -> None:
    """Empty the database and put back what the migrations had loaded.

    Django's own restore saves the ~3,400 rows one by one (5 s); grouped inserts take a fraction
    of that, which matters when every browser test starts from it.
    """
    from django.core import serializers
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    by_model: dict[type, list] = {}
    many_to_many = []
    for item in serializers.deserialize("json", data):
        by_model.setdefault(type(item.object), []).append(item.object)
        if item.m2m_data:
            many_to_many.append(item)
    with transaction.atomic(), connection.constraint_checks_disabled():
        for model, rows in by_model.items():
            model._base_manager.bulk_create(rows, batch_size=500)
        for item in many_to_many:
            for name, values in item.m2m_data.items():
                getattr(item.object, name).set(values)


@dataclass
class DemoCopy:
    """The demo data as the package's first test loaded it (motcua/table_copy.py), and where its
    files are kept."""

    folder: Path
    snapshot: Snapshot | None = None
    # snapshot.fingerprint() right after the load, before anything else ran.
    loaded: dict | None = None


@pytest.fixture(scope="package")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> DemoCopy:
    return DemoCopy(tmp_path_factory.mktemp("demo-copy"))


def _process_caches_forgotten() -> None:
    """Forget the search index and lexicon this process keeps. A fresh load gives the catalogue
    new timestamps, so the first search rebuilt them from the test's own database; a restored
    copy has the same timestamps as the previous test's, whose copies may hold what that test
    changed outside their signatures (the popularity prior). The root conftest empties filing's
    reference cache; the working calendar's is keyed by its rows' contents."""
    from catalog.search.index import index_forget
    from catalog.search.lexicon import lexicon_forget

    index_forget()
    lexicon_forget()


@pytest.fixture
def site(django_db_serialized_rollback, live_server, migrated_data, demo_copy, settings) -> Site:
    """The live server with the demo data (`make demo`) in its database.

    The tests are transactional (the server thread must see their data), so the database is
    flushed after each one. The package's first test loads the demo on what the migrations
    loaded — asking for serialized rollback makes Django keep a copy of that, put back here (see
    `migrated_data` for why Django cannot put it back itself) — and copies the result
    (motcua/table_copy.py); every later test gets the copy back, tables, sequences and the files in
    its MEDIA_ROOT, in a fraction of a second instead of 7–12 s.
    """
    from accounts.demo import load_demo
    from motcua import table_copy

    media = Path(settings.MEDIA_ROOT)
    if demo_copy.snapshot is None:
        restore_migrated_data(migrated_data)
        load_demo()
        demo_copy.loaded = table_copy.fingerprint(media)
        demo_copy.snapshot = table_copy.take(media, demo_copy.folder)
    else:
        table_copy.restore(demo_copy.snapshot, media)
    _process_caches_forgotten()
    return Site(live_server.url)
