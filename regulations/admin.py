"""The register in the admin: rounds and provisions to read and correct; events read only."""

from django.contrib import admin

from regulations.models import Provision, ProvisionEvent, ReviewRound


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "start_date", "end_date", "status")
    list_filter = ("status",)
    search_fields = ("name",)


class ProvisionEventInline(admin.TabularInline):
    model = ProvisionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "actor", "at", "from_state", "to_state", "note", "data")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ("content", "kind", "procedure_code", "unit", "action", "state", "round")
    list_filter = ("state", "kind", "action")
    search_fields = ("content", "procedure_code", "decision_number")
    # Moves go through the register's pages (regulations/services.py), never the admin.
    readonly_fields = ("state", "yearly_dossiers", "yearly_counted_at", "new_version",
                       "decision_number", "decision_date", "effective_date")
    raw_id_fields = ("procedure", "document", "time_limit", "fee", "step")
    inlines = [ProvisionEventInline]
