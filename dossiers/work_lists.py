"""A staff member's list of dossiers, as the pages and the API both read it.

The search and filters come from the URL (dossiers/list_filters.py); from them follows how the
row-level rule is checked (`narrows_by_index`), which rows the list holds, and whether reading
them is a logged read of personal data. The work-list pages (dossiers/views/inbox.py) and the
API's list (dossiers/api.py) take all of it from here, so the same URL reads the same rows the
same way and a search by ID or phone is logged whichever door it came through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cached_property

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Unit, User
from accounts.selectors import user_unit_ids
from dossiers.calendar import calendar_for_unit
from dossiers.deadlines import add_working_seconds
from dossiers.list_filters import (
    ListFilters,
    filters_apply,
    is_personal_search,
    narrows_by_index,
    search_kind,
)
from dossiers.models import Dossier
from dossiers.selectors import dossier_inbox, dossier_inbox_counts, dossier_visible
from dossiers.services.personal_data import list_search_personal_read

# Decree 118/2025 wants the apology issued at the latest 1 working day before the due moment, so
# from then on the dossier needs someone's attention: the lists' "due soon" and the row's badge.
DUE_SOON_WORKING_DAYS = Decimal(1)


def due_soon_until(user: User, now: datetime) -> datetime:
    """One working day after `now` on the calendar of the person's first unit: the end of
    "due soon" for the lists' filter."""
    units = sorted(user_unit_ids(user))
    cal = calendar_for_unit(Unit.objects.filter(pk=units[0]).first() if units else None)
    return add_working_seconds(now, int(DUE_SOON_WORKING_DAYS * cal.seconds_per_day), cal)


@dataclass(frozen=True)
class WorkList:
    """One person's list under one URL's search and filters."""

    user: User
    filters: ListFilters
    per_row: bool
    now: datetime

    @cached_property
    def soon_until(self) -> datetime:
        # Read once for the list and its six counts (the calendar is a query).
        return due_soon_until(self.user, self.now) if self.filters.due else self.now

    def narrow(self, qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
        """`qs` narrowed by the search and filters (unchanged when there are none)."""
        if not self.filters:
            return qs
        return filters_apply(qs, self.filters, now=self.now, soon_until=self.soon_until)

    def box(self, box: str) -> QuerySet[Dossier]:
        """The dossiers of one work box, narrowed; the overdue and soonest due first."""
        return self.narrow(dossier_inbox(user=self.user, box=box, per_row=self.per_row))

    def visible(self) -> QuerySet[Dossier]:
        """Every dossier the person may see, narrowed; the newest filed first."""
        # The id breaks ties: dossiers filed in the same instant (a batch taken over from the
        # national portal, rows written with one timestamp) came in any order on PostgreSQL,
        # and the API's offset pages then showed one twice and skipped another.
        qs = dossier_visible(self.user, per_row=self.per_row).order_by("-submitted_at", "-id")
        return self.narrow(qs)

    def counts(self) -> dict[str, int]:
        """Each box's count under the same search and filters (capped as the tabs show it)."""
        return dossier_inbox_counts(user=self.user, narrow=self.narrow if self.filters else None,
                                    per_row=self.per_row)

    def rows_read(self, rows: Iterable[Dossier]) -> None:
        """What is done once the rows are in hand: a search by ID or phone number reads who filed
        under it, logged as a staff read of personal data (dossiers/services/personal_data.py)."""
        if is_personal_search(self.filters):
            list_search_personal_read(actor=self.user, query=search_kind(self.filters.q).value,
                                      dossiers=list(rows))


def work_list(user: User, params: Mapping) -> WorkList:
    """The list `user` asked for with the URL's `params` (request.GET or query_params)."""
    filters = ListFilters.from_query(params)
    return WorkList(user=user, filters=filters, per_row=narrows_by_index(filters, user),
                    now=timezone.now())
