"""The Django admin's reads of citizens' data, logged as the staff pages log theirs.

An administrator opening a dossier, an account, an identity proof, a stored paper or a message
in the admin reads the person's ID number, phone, address or e-mail just as an officer opening
the dossier's page does: Decree 13/2023/NĐ-CP art. 9 (since 01/01/2026 Law 91/2025/QH15) gives
the person the right to know who read it, whatever the screen. So the change page of such a model
writes one row per person it shows, and a changelist searched by an ID or phone number writes one
row per person listed (as a work box searched by number does, dossiers/work_lists.py). The lists
themselves show names and codes only: a column of many citizens' numbers would be a read of
each of them on every page (docs/security.md).

A search by number runs only when the request proves it came from the admin's own list: Django's
search is a GET, which another site can make an administrator's browser send, and the log would
then hold a read nobody made. The list carries a value signed with the session
(motcua/search_proof.py) in its search form and in every link (paging, sorting, filters); a
number without it, or in a request another site started, is not searched: the list shows
unfiltered, nothing is read or logged, and a notice asks to press the search button, whose form
now holds the value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _

from accounts.models import PersonalDataAccess
from accounts.services.data_access import personal_data_reads
from motcua.cross_site import GUARD_ATTR, opened_from_other_site, other_site_notice
from motcua.inputs import typed_number
from motcua.search_proof import session_proof, session_proof_valid

ACTION = PersonalDataAccess.Action

# (number of the person read, their name, the dossier or paper it was read in)
Read = tuple[str, str, str]

# The list's parameter holding the session's proof ("from the page"); never a lookup.
PROOF_VAR = "_tu_trang"
# Set on the request by changelist_view for the search it allowed or refused.
_REFUSED_ATTR = "_motcua_number_search_refused"


# A number of at least this many digits among other words still narrows to a person: the last 6
# digits of a personal ID are its serial, a phone's last 6 nearly so.
NUMBER_PART_MIN_DIGITS = 6


def search_number(search_term: str) -> str:
    """The personal number an admin search asks about, or "".

    The whole box typed as a number (motcua.inputs.typed_number, as the work lists tell it), or
    the words Django's search matches one by one (ModelAdmin.get_search_results: split like a
    shell, quotes removed): `"056090001234"` or `056090001234 xuân` finds the person as surely
    as the number alone, and must be proven and logged alike. So do its pieces: each word must
    be found in the row, so `"05609" "00012"` or `xuân 056 090 00` narrows to the same person
    though no piece has six digits; the digits of every such word count together."""
    number = typed_number(search_term)
    if number:
        return number
    pieces = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            try:
                bit = unescape_string_literal(bit)
            except ValueError:
                continue
        digits = typed_number(bit)
        if len(digits) >= NUMBER_PART_MIN_DIGITS:
            return digits
        pieces.append(digits)
    joined = "".join(pieces)
    return joined if len(joined) >= NUMBER_PART_MIN_DIGITS else ""


class ProvenSearchChangeList(ChangeList):
    """Django's change list, keeping the proof in its links but out of its filters (an unknown
    parameter would otherwise be taken for a field lookup and refused)."""

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        lookup_params.pop(PROOF_VAR, None)
        return lookup_params


class PersonalDataAdmin(admin.ModelAdmin):
    """A ModelAdmin whose change page or number search shows citizens' personal data.

    A subclass says whose data an object holds (`personal_reads`) and may name the kind of read
    its page is (`view_action`) or log a search through its own app's function
    (`personal_search_log`). Everyone who reaches the admin is logged, a superuser with no unit
    too: the staff pages' rule of not logging a citizen reading their own data has no place here.
    """

    view_action: str = ACTION.ADMIN_VIEW
    # Search fields holding a personal number or contact, left out of the admin's pickers
    # (autocomplete) of other models' forms.
    personal_search_fields: tuple[str, ...] = ()

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

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The change page shows the object's personal data and logs it in the reader's name
        (render_change_form): opened by another site (a link, a redirect), it reads nothing and
        offers to open it here, as the staff pages do (motcua/cross_site.py). A save is a POST,
        under the CSRF check."""
        if opened_from_other_site(request):
            return other_site_notice(request)
        return super().change_view(request, object_id, form_url, extra_context)

    # Marked as the staff views' guard marks them: motcua/tests/test_cross_site_reads.py checks
    # every PersonalDataAdmin's change page for it (a subclass overriding it must keep it).
    setattr(change_view, GUARD_ATTR, True)

    def history_view(self, request: HttpRequest, object_id: str,
                     extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The object's history names it (its title, each entry's label), as its change page
        does: a read, logged the same way, and not run when another site opened it."""
        if opened_from_other_site(request):
            return other_site_notice(request)
        response = super().history_view(request, object_id, extra_context)
        obj = (getattr(response, "context_data", None) or {}).get("object")
        if obj is not None and response.status_code == 200:
            self.personal_view_log(request, obj)
        return response

    setattr(history_view, GUARD_ATTR, True)

    def delete_view(self, request: HttpRequest, object_id: str,
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The confirmation names the object and every row deleted with it (an account's
        proofs, messages, drafts): logged in get_deleted_objects, not run when another site
        opened it. The deletion itself is a POST, under the CSRF check."""
        if opened_from_other_site(request):
            return other_site_notice(request)
        return super().delete_view(request, object_id, extra_context)

    setattr(delete_view, GUARD_ATTR, True)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """Django's list of what a deletion takes, for its confirmation page (the object's
        delete page and the list's bulk "delete selected" action, a POST): each object shown is
        a read of its person, logged when the page is shown, not when the deletion runs."""
        deleted = super().get_deleted_objects(objs, request)
        protected = deleted[3]
        bulk = request.POST.get("action") == "delete_selected"
        deleting = (bool(request.POST.get("post")) if bulk else bool(request.POST)) \
            and not protected
        if not deleting:
            for obj in objs:
                self.personal_view_log(request, obj)
        return deleted

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        """Django lets a list's URL filter any column of the model itself, declared as a list
        filter or not: `?applicant_id_number=056…` or `?phone__startswith=09…` narrows the list
        to a person as a search does, without the search box, its proof or its log. Here a
        column filters only through the list's own filters (and the date hierarchy); a
        relation's id (`?dossier__id__exact=`) as before."""
        name = lookup.split(LOOKUP_SEP)[0]
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return super().lookup_allowed(lookup, value, request)
        if not field.is_relation and not field.primary_key \
                and name not in self._declared_filters(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def _declared_filters(self, request: HttpRequest) -> set[str]:
        names = {self.date_hierarchy} if self.date_hierarchy else set()
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                names.add(item.parameter_name)
            elif isinstance(item, (list, tuple)):
                names.add(item[0])
            else:
                names.add(item)
        return names

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ProvenSearchChangeList

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        fields = list(super().get_search_fields(request))
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            # The picker of another model's form (a signature block's signer) names accounts
            # by their name; searched by ID, phone or e-mail it would tell who holds a number,
            # unlogged and a digit at a time. Those are searched in this model's own list only,
            # where a search by number is proven and logged (Decree 13/2023).
            fields = [f for f in fields if f not in self.personal_search_fields]
        return fields

    def get_search_results(self, request: HttpRequest, queryset: QuerySet,
                           search_term: str) -> tuple[QuerySet, bool]:
        if getattr(request, _REFUSED_ATTR, False) and search_number(search_term):
            return queryset, False  # not searched: the list as if nothing were typed
        return super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request: HttpRequest,
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        number = search_number(request.GET.get(SEARCH_VAR, ""))
        refused = bool(number) and not session_proof_valid(request, request.GET.get(PROOF_VAR))
        setattr(request, _REFUSED_ATTR, refused)
        if refused:
            messages.warning(request, _(
                "Chưa tìm theo số «%(number)s»: tìm theo số giấy tờ hoặc số điện thoại chỉ chạy "
                "khi gửi từ ô tìm kiếm của trang này, không chạy từ một đường liên kết, nên chưa "
                "đọc dữ liệu của ai. Danh sách dưới đây chưa lọc. Nếu chính anh/chị muốn tìm, "
                "bấm nút «Tìm kiếm».") % {"number": number})
        # This session's proof in the list's search form and links, so what the administrator
        # does next on the page is proven (the number stays in the box for the button).
        query = request.GET.copy()
        query[PROOF_VAR] = session_proof(request)
        request.GET = query
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if number and not refused and changelist is not None:
            # The page's rows, read once here: the template then uses the same list.
            rows = changelist.result_list
            self.personal_search_log(request, number, list(rows))
        return response
