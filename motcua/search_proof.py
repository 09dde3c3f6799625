"""Whether a search by a personal number was asked for by the officer, not by another site.

A search by ID or phone number in a staff list reads who filed under that number and writes a
row of the personal-data log in the officer's name (Decree 13/2023/NĐ-CP art. 9, since
01/01/2026 Law 91/2025/QH15: the person has the right to know who read their data, so the log
must be true). A GET runs for any link: another site can make a logged-in officer's browser open
`…?q=<number>` (a link, a redirect, a new window) and the log would show a read the officer
never made. So a search by number runs only when the request proves it came from the app:

- the work lists (dossiers/views/inbox.py) take the number through a POST under the CSRF check,
  keep it in the session and put an opaque key in the URL (`number_search_store`): the URL never
  holds the number (history of a shared desk PC, proxy logs), and a key of another session
  opens nothing;
- the Django admin's lists (accounts/admin_reads.py) keep Django's GET search and carry a value
  signed with the session (`session_proof`) in the search form and in every link of the list;
- either way a request the browser marks as coming from another site (`Sec-Fetch-Site:
  cross-site` or `same-site`, a header no page can set) is refused even with a valid key or
  value, so a URL copied out of a history or a log cannot be replayed from another site; a
  browser without that header must show a Referer of this site (`request_from_other_site`).

A refused search reads and logs nothing; the page says so and offers a button that sends the
same search properly (docs/security.md).
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac

# The session's table of searches by number: {opaque key: number}, the newest last.
SESSION_SEARCHES = "motcua_number_searches"
# Enough for an officer's working day of searches; the oldest key is forgotten first.
SEARCHES_KEPT = 30
KEY_MAX_LENGTH = 40
# Sec-Fetch-Site values of a request another site started. "same-site" too: a sibling host
# under the same domain (another unit's application) is not this application.
FOREIGN_SITES = frozenset({"cross-site", "same-site"})
_PROOF_SALT = "motcua.search_proof.session_proof"


def request_from_other_site(request: HttpRequest) -> bool:
    """Another site may have started this request. Browsers send Sec-Fetch-Site on every
    request since 2023 and a page cannot set or change it: when it is there, it decides.

    A browser without it (Safari before 16.4, older Chrome, Firefox, Edge) would otherwise let
    any other site's link, redirect or new window open a guarded page, or replay a key or proof
    seen once in a history, in the officer's name (audit6). Such a browser is asked for what it
    does send: a Referer of this site (our pages' links, forms, htmx calls and redirects after
    them all carry one under SECURE_REFERRER_POLICY "same-origin"). Another site can hide its
    own address (rel="noreferrer") but never send ours, so an absent Referer counts as foreign
    too: a bookmark or an e-mail app's link in such a browser costs the officer one click on
    the notice. A client that is no browser (no "Mozilla/" in User-Agent: scripts, the test
    client, API tools) carries no cookie another site could spend and is not asked."""
    site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    if site:
        return site in FOREIGN_SITES
    if not request.headers.get("User-Agent", "").startswith("Mozilla/"):
        return False
    return not referred_from_here(request)


def referred_from_here(request: HttpRequest) -> bool:
    """The request's Referer is a page of this site: its host is the request's. (Not its scheme:
    behind a proxy that terminates TLS the request may read as http while the page was https;
    a page of this host is ours either way.)"""
    referer = request.headers.get("Referer", "")
    try:
        parts = urlsplit(referer)
        return bool(referer) and parts.scheme in ("http", "https") \
            and parts.netloc.lower() == request.get_host().lower()
    except (ValueError, DisallowedHost):
        return False


def number_search_store(session: SessionBase, number: str) -> str:
    """The opaque key standing for `number` in this session's URLs (the same key for the same
    number, so changing a filter does not grow the table)."""
    searches = session.get(SESSION_SEARCHES)
    searches = dict(searches) if isinstance(searches, dict) else {}
    known = next((key for key, kept in searches.items() if kept == number), "")
    if known:
        return known
    key = secrets.token_urlsafe(12)
    searches[key] = number
    while len(searches) > SEARCHES_KEPT:
        searches.pop(next(iter(searches)))
    session[SESSION_SEARCHES] = searches
    return key


def number_search_number(session: SessionBase, key: str) -> str:
    """The number this session stored under `key`, or "" (unknown, expired, another session's,
    or not a key at all)."""
    if not isinstance(key, str) or not key or len(key) > KEY_MAX_LENGTH:
        return ""
    searches = session.get(SESSION_SEARCHES)
    number = searches.get(key, "") if isinstance(searches, dict) else ""
    return number if isinstance(number, str) else ""


def session_proof(request: HttpRequest) -> str:
    """A value only this session's pages can hold: an HMAC of the session's key under the
    site's secret. "" without a session (nothing can then be proven)."""
    session_key = request.session.session_key
    if not session_key:
        return ""
    return salted_hmac(_PROOF_SALT, session_key, algorithm="sha256").hexdigest()[:32]


def session_proof_valid(request: HttpRequest, value: object) -> bool:
    """`value` is this session's proof and the request was not started by another site."""
    expected = session_proof(request)
    return (bool(expected) and isinstance(value, str)
            and constant_time_compare(value, expected)
            and not request_from_other_site(request))
