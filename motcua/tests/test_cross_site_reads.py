"""A staff page that reads and logs a citizen's data runs only when opened from this site
(motcua/cross_site.py, docs/security.md "Pages opened by another site").

A link, a redirect or an `<img>` on another site makes a signed-in officer's browser send a GET;
the personal-data log (Decree 13/2023/NĐ-CP art. 9, Law 91/2025/QH15) would then name the officer
for a read they never chose. The browser marks such a request `Sec-Fetch-Site: cross-site` (or
`same-site`, a sibling host): the view does not run, nothing is read or logged, and the page
offers a link that opens it here (`same-origin`), which logs the one read.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accounts.admin_reads import PersonalDataAdmin
from accounts.models import PersonalDataAccess, User
from accounts.tokens import token_issue
from dossiers.tests import files
from dossiers.tests.conftest import APPLICANT, root  # noqa: F401 - fixture
from feedback.tests.conftest import make_item, pakn  # noqa: F401 - fixtures
from motcua.cross_site import is_guarded

LOG = PersonalDataAccess.objects
NAME = APPLICANT["name"]
CROSS_SITE = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_SEC_FETCH_MODE": "navigate",
              "HTTP_SEC_FETCH_DEST": "document"}
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_SEC_FETCH_MODE": "navigate",
               "HTTP_SEC_FETCH_DEST": "document"}
NOTICE = "Trang này được mở từ một trang web khác"
BUTTON = re.compile(r'<a class="button" href="([^"]+)">')


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@dataclass
class World:
    """One of each thing a guarded page reads, and who may read it."""

    urls: dict[str, tuple[Client, str]]
    api: dict[str, str]
    dossier: object
    file_token: str


@pytest.fixture
def world(pakn, make_dossier, make_item, client_for, root) -> World:  # noqa: F811
    from dossiers.services.files import CheckedFile, file_store
    from dossiers.uploads import file_type_detect
    from feedback.models import FeedbackAttachment
    from results.models import ResultDraft, StoredDocument

    org = pakn
    dossier = make_dossier()
    checked = CheckedFile(org.doc_id, "cccd.pdf", files.PDF, file_type_detect(files.PDF))
    row = file_store(checked, actor=org.desk, purpose="submission", written=[],
                     dossier=dossier, document=dossier.documents.first())
    item = make_item(sender_name=NAME)
    attachment = FeedbackAttachment.objects.create(
        feedback=item, file=ContentFile(files.PDF, name="thu.pdf"), name="thu.pdf",
        size=len(files.PDF), content_type="application/pdf")
    draft = ResultDraft.objects.create(
        dossier=dossier, version=1, title="Quyết định", subject="Cấp phiếu",
        body=f"Cấp cho {NAME}", recipients="Như trên",
        upload=ContentFile(files.PDF, name="du-thao.pdf"), upload_name="du-thao.pdf",
        created_at=datetime(2026, 3, 3, tzinfo=UTC))
    stored = StoredDocument.objects.create(
        kind=StoredDocument.Kind.RESULT, title="Phiếu lý lịch tư pháp số 1",
        document_number="12/PLLTP", issuer_unit=org.dept, owner_id_number=APPLICANT["id_number"],
        owner_name=NAME, issued_at=datetime(2026, 3, 5, tzinfo=UTC), dossier=dossier,
        file=ContentFile(files.PDF, name="kq.pdf"))
    citizen = User.objects.create_user("congdan.bich", kind=User.Kind.CITIZEN, full_name=NAME,
                                       personal_id=APPLICANT["id_number"])
    desk, receiver = client_for(org.desk), client_for(org.receiver)
    code, period = dossier.code, "?tu-ngay=2026-03-01&den-ngay=2026-03-31"
    urls = {
        "dossier page": (desk, reverse("dossiers:detail", args=[code])),
        "form 01 (PDF)": (desk, reverse("dossiers:form_pdf", args=[code, "01"])),
        "receipt": (desk, reverse("dossiers:receipt", args=[code])),
        "control slip": (desk, reverse("dossiers:slip", args=[code])),
        "paper download": (desk, reverse("dossiers:file_download", args=[row.token])),
        "register page": (desk, reverse("dossiers:register") + period),
        "register PDF": (desk, reverse("dossiers:register_pdf") + period),
        "register Excel": (desk, reverse("dossiers:register_xlsx") + period),
        "feedback item": (receiver, reverse("feedback:staff_detail", args=[item.code])),
        "feedback attachment": (receiver, reverse("feedback:staff_attachment",
                                                  args=[item.code, attachment.pk])),
        "result draft": (desk, reverse("results:draft", args=[code])),
        "draft preview": (desk, reverse("results:draft_preview", args=[code, 1])),
        "draft file": (desk, reverse("results:draft_upload", args=[code, 1])),
        "stored paper": (desk, reverse("results:download", args=[stored.uid])),
        "admin: dossier": (root, f"/admin/dossiers/dossier/{dossier.pk}/change/"),
        "admin: result draft": (root, f"/admin/results/resultdraft/{draft.pk}/change/"),
        "admin: account": (root, f"/admin/accounts/user/{citizen.pk}/change/"),
    }
    api = {
        "dossier": f"/api/v1/dossiers/{code}/",
        "events": f"/api/v1/dossiers/{code}/events/",
        "paper": f"/api/v1/files/{row.token}/",
        "stored paper": f"/api/v1/kho-du-lieu/{stored.uid}/tai-ve/",
        "feedback item": f"/api/v1/feedback/items/{item.code}/",
    }
    LOG.all().delete()
    return World(urls, api, dossier, str(row.token))


@pytest.fixture(autouse=True)
def _quick_preview(monkeypatch):
    # The preview's PDF needs the signing set-up; what it renders is not what is tested here.
    monkeypatch.setattr("results.views_drafting.draft_preview",
                        lambda **kwargs: files.PDF)


PAGES = ["dossier page", "form 01 (PDF)", "receipt", "control slip", "paper download",
         "register page", "register PDF", "register Excel", "feedback item", "feedback attachment",
         "result draft", "draft preview", "draft file", "stored paper", "admin: dossier",
         "admin: result draft", "admin: account"]


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("page", PAGES)
def test_another_sites_link_reads_and_logs_nothing_and_the_button_logs_one(world, page):
    client, url = world.urls[page]
    for site in ("cross-site", "same-site"):
        with CaptureQueriesContext(connection) as queries:
            notice = client.get(url, **(CROSS_SITE | {"HTTP_SEC_FETCH_SITE": site}))
        # The session, the user and their roles only: nothing of the dossier, item or paper.
        read = " ".join(q["sql"] for q in queries.captured_queries)
        assert not re.search(r'"(dossiers|feedback|results)_', read), (page, read)
        assert notice.status_code == 200, (page, site)
        html = notice.content.decode()
        assert notice["Content-Type"].startswith("text/html")
        assert NOTICE in html and '<html lang="vi">' in html
        assert NAME not in html and APPLICANT["id_number"] not in html
        assert "no-store" in notice["Cache-Control"]
        assert notice["X-Frame-Options"] == "DENY"  # its button cannot be clicked in a frame
        assert not LOG.exists(), page
    button = BUTTON.search(html)
    assert button and button.group(1).replace("&amp;", "&") == url
    opened = client.get(url, **SAME_ORIGIN)
    assert opened.status_code == 200, page
    assert NOTICE.encode() not in _body(opened)
    assert LOG.count() == 1, page


@pytest.mark.parametrize("headers", [{}, {"HTTP_SEC_FETCH_SITE": "none"},
                                     {"HTTP_SEC_FETCH_SITE": "same-origin"}])
def test_a_request_no_other_site_started_runs_as_before(world, headers):
    """No header (an older browser, a script), an address typed or opened from an e-mail app
    ("none"), or the site's own link."""
    client, url = world.urls["dossier page"]
    page = client.get(url, **headers)
    assert page.status_code == 200 and NAME in page.content.decode()
    assert LOG.count() == 1


@pytest.mark.parametrize("method", ["head", "options", "trace"])
def test_the_other_methods_that_skip_the_csrf_check_are_guarded_too(world, method):
    client, url = world.urls["dossier page"]
    getattr(client, method)(url, **CROSS_SITE)
    assert not LOG.exists()
    getattr(client, method)(url, **SAME_ORIGIN)
    assert LOG.count() == 1


def test_an_image_or_a_frame_from_another_site_is_refused_without_a_page(world):
    client, url = world.urls["dossier page"]
    image = client.get(url, HTTP_SEC_FETCH_SITE="same-site", HTTP_SEC_FETCH_MODE="no-cors",
                       HTTP_SEC_FETCH_DEST="image")
    assert image.status_code == 403 and NAME not in image.content.decode()
    assert not LOG.exists()


def test_the_pages_own_htmx_and_posts_still_work(world, org):
    client, url = world.urls["dossier page"]
    fragment = client.get(reverse("dossiers:act", args=[world.dossier.code, "forward"]),
                          HTTP_HX_REQUEST="true", HTTP_SEC_FETCH_SITE="same-origin",
                          HTTP_SEC_FETCH_MODE="cors", HTTP_SEC_FETCH_DEST="empty")
    assert fragment.status_code in (200, 409) and "<html" not in fragment.content.decode()
    # A POST is under the CSRF check, not this guard (the test client skips CSRF).
    item_client, item_url = world.urls["feedback item"]
    code = item_url.rstrip("/").rsplit("/", 1)[-1]
    sent = item_client.post(reverse("feedback:staff_act", args=[code, "accept"]),
                            **CROSS_SITE)
    assert NOTICE not in sent.content.decode()


def test_the_notice_never_links_to_another_host(world, client_for, org):
    """The button's address is this request's own; a path starting with // would be another
    host's (none of the guarded routes matches one, this checks the escape anyway)."""
    from django.test import RequestFactory

    from motcua.cross_site import other_site_notice

    request = RequestFactory().get("/ho-so/x/", **CROSS_SITE)
    request.path = "//evil.example/ho-so/x/"  # what a server could hand over for "//…"
    request.user = org.desk
    html = other_site_notice(request).render().content.decode()
    assert 'href="//evil' not in html and 'href="/%2Fevil.example/ho-so/x/"' in html


def test_a_citizens_own_downloads_are_not_guarded(world, org, make_dossier, client_for):
    """Not logged, so nothing to make untrue: the citizen's pages stay as they were."""
    from dossiers.services.files import CheckedFile, file_store
    from dossiers.uploads import file_type_detect

    mine = make_dossier(accept=False, channel=2, actor=org.citizen)
    checked = CheckedFile(org.doc_id, "cccd.pdf", files.PDF, file_type_detect(files.PDF))
    row = file_store(checked, actor=org.citizen, purpose="submission", written=[],
                     dossier=mine, document=mine.documents.first())
    download = client_for(org.citizen).get(reverse("dossiers:file_download", args=[row.token]),
                                           **CROSS_SITE)
    assert download.status_code == 200 and _body(download) == files.PDF
    assert not LOG.exists()


@pytest.mark.parametrize("name", ["dossier", "events", "paper", "stored paper",
                                  "feedback item"])
def test_the_api_with_the_browsers_session_answers_another_site_403(world, org, name):
    url = world.api[name]
    user = org.receiver if name == "feedback item" else org.desk
    browser = Client()
    browser.force_login(user)
    refused = browser.get(url, **CROSS_SITE)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    assert NAME not in refused.content.decode()
    assert not LOG.exists()
    assert browser.get(url, **SAME_ORIGIN).status_code == 200
    assert LOG.count() == 1
    # A token is never sent by a browser on its own: another site cannot spend it.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user)}")
    assert api.get(url, **CROSS_SITE).status_code == 200
    assert LOG.count() == 2


# ---- every GET view that writes a personal-data read is guarded ------------------------------

# The functions that write rows of the log; every function calling one (directly or through
# others, followed by name across the project's modules) logs too.
LOG_WRITERS = {"accounts.services.data_access.personal_data_read",
               "accounts.services.data_access.personal_data_reads"}
APPS = ["accounts", "catalog", "dossiers", "evaluations", "feedback", "idp", "metrics",
        "notifications", "payments", "reform", "regulations", "results", "sync", "motcua"]
# Views that reach a log writer but never on a GET another site can send, with the reason.
NOT_GUARDED = {
    # The counter's applicant search logs only on its POST (CSRF); its GET is the empty form.
    "dossiers.views.counter.applicant_search",
    # The counter's entry page logs population lookups on its POST only.
    "dossiers.views.counter.counter_new",
    # The work boxes: a search by number runs only from the page's own POST and session key,
    # never when another site started the request (motcua/search_proof.py).
    "dossiers.views.inbox.box", "dossiers.views.inbox.inbox",
    # The desk's identity proof writes on its POST only.
    "accounts.identity_views.desk_identity",
    # POST only (require_POST), under the CSRF check.
    "feedback.views.staff.act",
    # The admin's lists: a search by number runs only with the list's own proof and never
    # when another site started the request (motcua/search_proof.py); the change page is
    # checked below (test_every_admin_that_logs_its_change_page_is_guarded).
    "accounts.admin_reads.PersonalDataAdmin.changelist_view",
    # A citizen's online form, pre-filled from the population database for their own proven
    # number: the citizen's own lookup, kept in the adapter's log, not a staff read; and it runs
    # only on the POST that opens a draft (draft_start, under the CSRF check; a staff account
    # is refused before it), never on either page's GET (audit4).
    "dossiers.views.online.online_start", "dossiers.views.online.online_draft",
}


def _modules() -> dict[str, ast.Module]:
    base = Path(settings.BASE_DIR)
    found = {}
    for app in APPS:
        for path in (base / app).rglob("*.py"):
            parts = path.relative_to(base).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            name = ".".join(parts).removesuffix(".__init__")
            found[name] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def _calls_by_function(modules: dict[str, ast.Module]) -> tuple[dict[str, set[str]], set[str]]:
    """{qualified function: qualified names it calls}, names resolved through the module's
    imports (anywhere in it), its own functions, `self.` methods and `module.attr`; and the
    qualified names of the classes' methods."""
    graph: dict[str, set[str]] = {}
    class_methods: set[str] = set()
    for mod, tree in modules.items():
        imported: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    imported[alias.asname or alias.name] = alias.name
        local = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}

        def resolve(call: ast.expr, cls: str | None, mod=mod, imported=imported,
                    local=local) -> str | None:
            if isinstance(call, ast.Name):
                if call.id in local:
                    return f"{mod}.{call.id}"
                return imported.get(call.id)
            if isinstance(call, ast.Attribute) and isinstance(call.value, ast.Name):
                if call.value.id == "self" and cls:
                    return f"{mod}.{cls}.{call.attr}"
                if call.value.id in imported:
                    return f"{imported[call.value.id]}.{call.attr}"
            if isinstance(call, ast.Attribute):
                # A method of an object (`work.rows_read(…)`): any project method of that name.
                return f"*.{call.attr}"
            return None

        def add(fn: ast.AST, qualname: str, cls: str | None) -> None:
            names = graph.setdefault(qualname, set())
            for node in ast.walk(fn):
                if isinstance(node, ast.Call):
                    target = resolve(node.func, cls)
                    if target:
                        names.add(target)

        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                add(node, f"{mod}.{node.name}", None)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                            and not item.name.startswith("__"):
                        add(item, f"{mod}.{node.name}.{item.name}", node.name)
                        class_methods.add(f"{mod}.{node.name}.{item.name}")
        # A name a module imports and passes on (`from x import f` in a package's __init__).
        for name, target in imported.items():
            graph.setdefault(f"{mod}.{name}", set()).add(target)
    return graph, class_methods


# Method names too common to follow through an object (`d.get(…)` is mostly a dict's): a view
# class's handlers are found from the URL conf instead.
NOT_FOLLOWED_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "save",
                        "filter", "update", "create", "all", "first", "exists", "count"}


def _loggers() -> set[str]:
    """Every function that writes the log, directly or through others. Followed by name, so it
    may list a function that logs only on some path (hence NOT_GUARDED); a call through a
    variable holding a function, or a method name in NOT_FOLLOWED_METHODS, is not followed."""
    graph, class_methods = _calls_by_function(_modules())
    loggers = set(LOG_WRITERS)
    grew = True
    while grew:
        grew = False
        methods = {"*." + name.rsplit(".", 1)[1] for name in loggers & class_methods}
        methods -= {f"*.{m}" for m in NOT_FOLLOWED_METHODS}
        for fn, calls in graph.items():
            if fn not in loggers and (calls & loggers or calls & methods):
                loggers.add(fn)
                grew = True
    return loggers


def _views(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, object]]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found += _views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def _innermost(view: Callable) -> Callable:
    while getattr(view, "__wrapped__", None) is not None:
        view = view.__wrapped__
    return view


def test_every_get_view_that_logs_a_read_is_guarded():
    """A new staff page that logs a read without @staff_read_page (or an API view's get without
    @staff_read_api) fails here; one that logs only on a POST is listed in NOT_GUARDED."""
    loggers = _loggers()
    unguarded, guarded, exempt_seen = [], set(), set()
    for route, callback in _views():
        cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if cls is not None:
            handler = getattr(cls, "get", None)
            if handler is None:
                continue
            inner = _innermost(handler)
            name = f"{inner.__module__}.{inner.__qualname__}"
            checked = handler
        else:
            inner = _innermost(callback)
            name = f"{getattr(inner, '__module__', '')}.{getattr(inner, '__qualname__', '')}"
            checked = callback
        if name not in loggers:
            continue
        if name in NOT_GUARDED:
            exempt_seen.add(name)
        elif is_guarded(checked):
            guarded.add(name)
        else:
            unguarded.append(f"{route} → {name}")
    assert unguarded == [], "\n".join(unguarded)
    # The walk is not vacuous: it finds the pages this guard was written for.
    assert {"dossiers.views.detail.detail", "dossiers.views.pdf.form_pdf",
            "dossiers.views.files.file_download", "dossiers.views.register.register_xlsx",
            "feedback.views.staff.detail", "results.views_drafting.preview",
            "results.views.download", "dossiers.api.DossierDetailApi.get",
            "feedback.api.ItemDetailApi.get"} <= guarded
    assert exempt_seen == NOT_GUARDED  # no stale exemption


def test_every_admin_that_logs_its_change_page_is_guarded():
    admins = [a for a in admin.site._registry.values() if isinstance(a, PersonalDataAdmin)]
    assert len(admins) >= 9
    for model_admin in admins:
        assert is_guarded(type(model_admin).change_view), type(model_admin).__name__


def test_an_anonymous_link_still_leads_to_the_login_page(db):
    # The guard sits under the log-in and role checks: nothing changes for them.
    anonymous = Client().get(reverse("dossiers:detail", args=["X"]), **CROSS_SITE)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))


def test_the_notice_is_in_english_for_an_english_screen(world):
    client, url = world.urls["dossier page"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url, **CROSS_SITE).content.decode()
    assert '<html lang="en">' in html and "This page was opened from another website" in html
    assert "Open this page here" in html and NAME not in html
    assert not LOG.exists()
