"""What a staff list is narrowed to: the search box and the filters, read from the URL.

One search box takes what an officer has in hand: a dossier code (or its beginning), a personal
ID / enterprise code, a phone number, or the applicant's name typed with or without diacritics.
The kind is told from the shape of what is typed, so each kind runs on its own index:

- a code (letters, digits and the dots and dashes of `000.00.12.H56-261123-0001`): the code's
  unique index, exactly or by its beginning;
- digits only: a phone number when it is one by the Vietnamese numbering plan, an ID number
  (9 or 12 digits, or a 10/13-digit enterprise code) otherwise, each an equality on its index;
- anything else: a name, matched in the folded name (lowercase, no diacritics, catalog.text.fold).

The filters are plain columns: procedure (its code), state, channel, and where the dossier stands
against its due moment (overdue, due within one working day, on time), the same rule as the row's
badge (dossiers/views/due.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import user_unit_ids
from catalog.models import Channel
from catalog.text import fold
from dossiers.models import Dossier, State
from dossiers.states import OPEN_STATES, PAUSED_STATES
from motcua.filled import Filled
from motcua.inputs import phone_vn_normalize, typed_number

SEARCH_MAX_LENGTH = 100
# The URL's stand-in for a search by number: an opaque key into the session ("tìm").
SEARCH_KEY_PARAM = "tim"
RUNNING_STATES = sorted(OPEN_STATES - PAUSED_STATES)

DUE_CHOICES = {
    "qua-han": _("Quá hạn"),
    "sap-den-han": _("Sắp đến hạn (còn dưới 1 ngày làm việc)"),
    "trong-han": _("Còn trong hạn"),
}

_CODE = re.compile(r"[0-9A-Z.]+-[0-9A-Z.\-]*")
_PROCEDURE_CODE = re.compile(r"[0-9A-Za-z]{1,3}\.[0-9.]+")


@dataclass(frozen=True)
class ListFilters:
    """The search and filters of a staff list as the URL carries them (all strings, "" = none)."""

    q: str = ""
    procedure: str = ""
    state: str = ""
    due: str = ""
    channel: str = ""

    PARAMS = {"q": "q", "procedure": "thu-tuc", "state": "trang-thai", "due": "han",
              "channel": "kenh"}

    @classmethod
    def from_query(cls, params) -> ListFilters:
        """From request.GET; unknown values are dropped (a list never fails on its URL)."""
        def get(name: str) -> str:
            value = params.get(cls.PARAMS[name]) or ""
            return value if isinstance(value, str) else ""

        q = " ".join(unicodedata.normalize("NFKC", get("q")).split())[:SEARCH_MAX_LENGTH]
        state = get("state") if get("state") in State.values else ""
        due = get("due") if get("due") in DUE_CHOICES else ""
        channel = get("channel") if get("channel") in {str(v) for v in Channel.values} else ""
        procedure = " ".join(get("procedure").split())[:SEARCH_MAX_LENGTH]
        return cls(q=q, procedure=procedure, state=state, due=due, channel=channel)

    def __bool__(self) -> bool:
        return any((self.q, self.procedure, self.state, self.due, self.channel))

    def query_string(self, search_key: str = "") -> str:
        """The filters as a URL query (for tabs and paging links, so they survive).

        A search by ID or phone number never goes in the URL (a history, a proxy log, a link
        another site makes the officer's browser open: docs/security.md): `search_key`, the
        session's opaque key for it (motcua/search_proof.py), goes there instead, or nothing."""
        params = {self.PARAMS[k]: getattr(self, k) for k in self.PARAMS if getattr(self, k)}
        if is_personal_search(self):
            del params["q"]
            if search_key:
                params[SEARCH_KEY_PARAM] = search_key
        return urlencode(params)


@dataclass(frozen=True)
class Search:
    """What the search box holds, told by its shape."""

    kind: str  # "code", "number" (ID or phone), "name" or ""
    value: str
    phone: str = ""


def search_kind(q: str) -> Search:
    q = q.strip()
    if not q:
        return Search("", "")
    digits = typed_number(q)
    if digits:
        return Search("number", digits, phone_vn_normalize(q) or "")
    upper = q.upper().replace(" ", "")
    if _CODE.fullmatch(upper) and any(ch.isdigit() for ch in upper):
        return Search("code", upper)
    return Search("name", fold(q))


def is_personal_search(filters: ListFilters) -> bool:
    """Searching by an ID or phone number reads who filed under it: a logged staff read."""
    return search_kind(filters.q).kind == "number"


def narrows_by_index(filters: ListFilters, user: User) -> bool:
    """Whether `user`'s list under `filters` is best read by checking the row-level rule on each
    row an index finds (`dossier_visible(per_row=True)`) rather than as the set of the units'
    dossiers. The pages and the API choose by it, so the same filters read the same rows the
    same way. Measured at a million dossiers (bench/staff_lists.py --modes,
    docs/staff-lists.md):

    - an ID or phone number: equality on each column's index finds a handful of rows, a probe
      each, for anyone;
    - a code or its beginning, for a desk officer: codes are numbered by the receiving unit
      (dossiers/codes.py), so what a desk searches by code is its own unit's, nearly all seen:
      the code's index and a probe per row (desk of a centre, a beginning shared by 100,000
      dossiers: 234 → 59 ms p50). For anyone else the index finds mostly dossiers they do not
      see, and reading their units' rows is cheaper (a department that sees 1 in 100 of such a
      beginning: 226 ms as a set, 328 ms row by row, which probed all 100,000);
    - a name or a procedure: not chosen. A name search measured the same either way; a
      procedure's 3,000 dossiers probed row by row took 340 ms against 92 ms as a set."""
    kind = search_kind(filters.q).kind
    if kind == "number":
        return True
    return kind == "code" and bool(user_unit_ids(user, role=Role.RECEIVING))


def filters_apply(qs: QuerySet[Dossier], filters: ListFilters, *, now: datetime,
                  soon_until: datetime) -> QuerySet[Dossier]:
    """`qs` narrowed by `filters`; `soon_until` is one working day after `now` at the unit."""
    search = search_kind(filters.q)
    if search.kind == "code":
        qs = qs.filter(code__startswith=search.value)
    elif search.kind == "number":
        # Filled: the owner and phone indexes cover filled values only (motcua/filled.py).
        rule = (Q(applicant_id_number=search.value)
                | (Q(owner_id_number=search.value) & Q(Filled("owner_id_number"))))
        if search.phone:
            rule |= Q(applicant_phone=search.phone) & Q(Filled("applicant_phone"))
        qs = qs.filter(rule)
    elif search.kind == "name":
        qs = qs.filter(applicant_name_folded__contains=search.value)
    if filters.procedure:
        if _PROCEDURE_CODE.fullmatch(filters.procedure):
            qs = qs.filter(procedure__code=filters.procedure)
        else:  # words of its name, diacritics ignored (the catalogue keeps the folded name)
            for word in fold(filters.procedure).split():
                qs = qs.filter(procedure__search_text__contains=word)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.channel:
        qs = qs.filter(channel=int(filters.channel))
    if filters.due:
        running = Q(state__in=RUNNING_STATES, due_at__isnull=False)
        if filters.due == "qua-han":
            qs = qs.filter(running, due_at__lt=now)
        elif filters.due == "sap-den-han":
            qs = qs.filter(running, due_at__gte=now, due_at__lt=soon_until)
        else:
            qs = qs.filter(running, due_at__gte=soon_until)
    return qs
