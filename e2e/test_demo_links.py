"""Every link a person of the demo is shown opens for that person.

A page that lists what the officer may count but not open (a province's dashboard listing a
department's dossiers, the regulations summary listing every round, a published PAR ranking
listing every unit) used to link each row to a page that answered 404 to them. This walks the
demo as each kind of person would, following every same-site link, htmx fragment and image the
pages show (breadth first, a few pages per kind of address), and fails on any answer of 400 or
more, and on a page not in Vietnamese; then asks each kind of page that took a query string
(or had a search or filter form) again with each parameter given an odd value, and fails on
a 500. It uses the demo data of the browser tests' `site` fixture, through Django's test
client: no browser is needed to follow links.
"""

import re
from collections import Counter, deque
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from django.test import Client

# Staff sign in through the second factor in production; this walk is about what each person is
# shown, which force_login reaches directly.
pytestmark = pytest.mark.usefixtures("_second_factor_off_here")

LINK = re.compile(r'(?:href|hx-get|src)="([^"#]+)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL)
FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
# Signing out ends the walk; the language switch is a form (tested in test_public_pages);
# static files are served by the web server in production, not by Django.
NOT_FOLLOWED = re.compile(r"/dang-xuat/|^/i18n/|^/static/|^/media/")
# The demo's people: each kind of account, and a unit of each level.
PEOPLE = [None, "congdan", "tiepnhan", "chuyenvien.tp", "lanhdao.tp", "chuyenvien.nnmt",
          "tiepnhan.nhatrang", "lanhdao.bacnhatrang", "quantri", "manhinh.quay1"]
PAGES_PER_PERSON = 150
# A list's rows all lead to the same kind of page: a few of each are enough.
PAGES_PER_KIND = 5
# Values no query parameter of a page expects: an id past 64 bits, a digit int() takes but no
# database column does, a NUL, text past any column.
ODD_VALUES = ["9" * 20, "²", "a\x00b", "x" * 1000]


@pytest.fixture
def _second_factor_off_here(settings):
    settings.MOTCUA_SECOND_FACTOR_REQUIRED = False


def _kind(path: str) -> str:
    """Addresses of one kind of page: the path with its numbers, codes and secrets left out.

    A segment is variable when it holds a digit or a capital (codes, ids, random secrets) or is
    longer than any route's own words: a random secret of letters alone (one in a thousand or so)
    would otherwise count as a kind of its own and change which pages the walk opens."""
    return re.sub(r"/(?:[^/]*[\dA-Z][^/]*|[^/]{28,})(?=/|$)", "/*", path)


def _walk(client: Client) -> tuple[list[tuple[int, str, str]], int]:
    """(broken: status, address, the page that linked it), pages opened. Then the first page
    of each kind that had a query string is asked again with each of its parameters odd."""
    queue, seen, per_kind = deque([("/", "")]), set(), Counter()
    broken, opened, with_query = [], 0, {}
    while queue and opened < PAGES_PER_PERSON:
        url, parent = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        per_kind[_kind(urlparse(url).path)] += 1
        if per_kind[_kind(urlparse(url).path)] > PAGES_PER_KIND:
            continue
        opened += 1
        path, _, query = url.partition("?")
        if query:
            with_query.setdefault((_kind(path), tuple(sorted(parse_qs(query)))), url)
        response = client.get(url)
        if response.status_code >= 400:
            broken.append((response.status_code, url, parent))
            continue
        if response.status_code in (301, 302, 303):
            target = urlparse(urljoin(url, response["Location"]))
            if target.netloc in ("", "testserver"):
                queue.append((target.path + (f"?{target.query}" if target.query else ""), url))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        for opening, body in FORM.findall(html):
            # A search or filter form (GET): its fields are the page's query parameters.
            if 'method="post"' not in opening.lower():
                action = re.search(r'action="([^"]*)"', opening)
                target = urlparse(urljoin(url, (action.group(1) if action else "") or url))
                names = sorted(set(FIELD_NAME.findall(body)) - {"csrfmiddlewaretoken"})
                if names and target.netloc in ("", "testserver"):
                    with_query.setdefault((_kind(target.path), tuple(names)),
                                          target.path + "?" + "&".join(f"{n}=" for n in names))
        if "<html" in html and '<html lang="vi"' not in html:
            broken.append((response.status_code, url, f"{parent} (not in Vietnamese)"))
        for href in LINK.findall(html):
            target = urlparse(urljoin(url, href.replace("&amp;", "&")))
            if target.netloc in ("", "testserver") and target.path.startswith("/") \
                    and not NOT_FOLLOWED.search(target.path):
                queue.append((target.path + (f"?{target.query}" if target.query else ""), url))
    for url in with_query.values():
        path, _, query = url.partition("?")
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        for name in params:
            for odd in ODD_VALUES:
                response = client.get(path, params | {name: odd})
                if response.status_code >= 500:
                    broken.append((response.status_code, f"{path} {name}={odd[:20]!r}", url))
    return broken, opened


def test_every_link_shown_opens_for_whoever_is_shown_it(site) -> None:
    from accounts.models import User

    broken, opened = {}, {}
    for username in PEOPLE:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        found, opened[username] = _walk(client)
        if found:
            broken[username] = found
    assert broken == {}
    # The walk reached the work of each person, not only the home page.
    assert all(n >= 3 for n in opened.values()), opened
    assert opened["tiepnhan"] >= 60 and opened["lanhdao.tp"] >= 60, opened
