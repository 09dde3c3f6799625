from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.admin_reads import PersonalDataAdmin
from dossiers.models import CalendarDay, Dossier, DossierDocument, DossierEvent, DossierStep
from dossiers.selectors import dossier_owner_number
from dossiers.services import dossiers_recompute_open
from dossiers.services.personal_data import ACTION, list_search_personal_read


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = ["order", "name", "role", "unit", "assignee", "started_at", "due_at", "finished_at",
              "timing"]


class DocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ["name", "copy_kind", "count", "original_seen", "digitised", "reused"]


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ["seq", "action", "at", "actor_name", "from_state", "to_state", "timing", "reason"]


@admin.register(Dossier)
class DossierAdmin(PersonalDataAdmin):
    """Read-only: a dossier changes only through its actions, each with its event row.

    Its page shows the applicant's ID number, address, phone and e-mail: opening it is logged as
    opening the dossier's staff page is, and so is a search by number (accounts/admin_reads.py).
    """

    list_display = ["code", "procedure", "applicant_name", "state", "receiving_unit", "due_at"]
    list_filter = ["state", "channel", "receiving_unit"]
    search_fields = ["code", "applicant_name", "applicant_id_number"]
    inlines = [StepInline, DocumentInline, EventInline]
    view_action = ACTION.DOSSIER_OPEN
    # The lookup secret opens the public status page and the result's download without an
    # account, and nothing logs what is read there: the admin's page shows the rest (audit9).
    exclude = ["lookup_secret"]

    def personal_reads(self, obj: Dossier) -> list[tuple[str, str, str]]:
        return [(dossier_owner_number(obj), obj.owner_name or obj.applicant_name, obj.code)]

    def personal_search_log(self, request, number: str, rows) -> None:
        list_search_personal_read(actor=request.user, query=number, dossiers=list(rows))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "unit"]
    list_filter = ["kind", "unit"]
    date_hierarchy = "date"
    actions = ["recompute_open_dossiers"]

    @admin.action(description=_("Tính lại hạn xử lý của các hồ sơ đang giải quyết"),
                  permissions=["change"])
    def recompute_open_dossiers(self, request, queryset):
        seen, changed = dossiers_recompute_open()
        self.message_user(request, _("Đã tính lại %(seen)d hồ sơ, %(changed)d hồ sơ đổi hạn.")
                          % {"seen": seen, "changed": changed}, messages.SUCCESS)
