"""The Django admin's reads of citizens' data, logged as the staff pages log theirs.

An administrator opening a dossier, an account, an identity proof, a stored paper or a message
in the admin reads the person's ID number, phone, address or e-mail just as an officer opening
the dossier's page does: Decree 13/2023/NĐ-CP art. 9 (since 01/01/2026 Law 91/2025/QH15) gives
the person the right to know who read it, whatever the screen. So the change page of such a model
writes one row per person it shows, and a changelist searched by an ID or phone number writes one
row per person listed (as a work box searched by number does, dossiers/work_lists.py). The lists
themselves show names and codes only: a column of many citizens' numbers would be a read of
each of them on every page (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from accounts.models import PersonalDataAccess
from accounts.services.data_access import personal_data_reads
from motcua.inputs import typed_number

ACTION = PersonalDataAccess.Action

# (number of the person read, their name, the dossier or paper it was read in)
Read = tuple[str, str, str]


class PersonalDataAdmin(admin.ModelAdmin):
    """A ModelAdmin whose change page or number search shows citizens' personal data.

    A subclass says whose data an object holds (`personal_reads`) and may name the kind of read
    its page is (`view_action`) or log a search through its own app's function
    (`personal_search_log`). Everyone who reaches the admin is logged, a superuser with no unit
    too: the staff pages' rule of not logging a citizen reading their own data has no place here.
    """

    view_action: str = ACTION.ADMIN_VIEW

    def personal_reads(self, obj: Model) -> list[Read]:
        raise NotImplementedError

    def personal_view_log(self, request: HttpRequest, obj: Model) -> None:
        personal_data_reads(actor=request.user, reads=self.personal_reads(obj),
                            action=self.view_action,
                            purpose=f"Xem {self.opts.verbose_name} trong trang quản trị")

    def personal_search_log(self, request: HttpRequest, number: str,
                            rows: Iterable[Model]) -> None:
        reads = [read for obj in rows for read in self.personal_reads(obj)]
        if not reads and len(number) in (9, 12):
            # An ID that found nothing was still asked about (as in the work lists).
            reads = [(number, "", "")]
        personal_data_reads(
            actor=request.user, reads=reads, action=ACTION.ADMIN_SEARCH,
            purpose=f"Tìm {self.opts.verbose_name} trong trang quản trị theo «{number}»"[:255])

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], add: bool = False,
                           change: bool = False, form_url: str = "",
                           obj: Model | None = None) -> HttpResponse:
        # Called for the page that shows the object (view-only or editable), not for a
        # successful save, which redirects without showing anything.
        if obj is not None and not add:
            self.personal_view_log(request, obj)
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)

    def changelist_view(self, request: HttpRequest,
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        number = typed_number(request.GET.get(SEARCH_VAR, ""))
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if number and changelist is not None:
            # The page's rows, read once here: the template then uses the same list.
            rows = changelist.result_list
            self.personal_search_log(request, number, list(rows))
        return response
