from django.contrib import admin

from metrics.models import DailyCounter, IndexMethod


@admin.register(IndexMethod)
class IndexMethodAdmin(admin.ModelAdmin):
    list_display = ("name", "effective_from", "is_default_set")
    ordering = ("-effective_from",)


@admin.register(DailyCounter)
class DailyCounterAdmin(admin.ModelAdmin):
    """Read-only: counters change only with dossier events or `manage.py metrics_rebuild`.

    The stored rows as they are: a key's counts may be spread over several slots (issue #18),
    whose sum is the figure (the dashboards add them up)."""

    list_display = ("day", "unit", "procedure", "slot", "received_counter", "received_online",
                    "settled_early", "settled_on_time", "settled_late")
    list_filter = ("day",)
    list_select_related = ("unit", "procedure")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
