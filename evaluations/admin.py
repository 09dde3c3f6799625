from django.contrib import admin

from evaluations.models import Evaluation, FollowUp


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Read-only: answers are stored as given, never edited afterwards."""

    list_display = ("dossier", "unit", "channel", "overall_rating", "ease_rating", "created_at")
    list_filter = ("channel", "overall_rating", "unit")
    search_fields = ("dossier__code", "comment")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("evaluation", "unit", "status", "opened_at", "closed_at", "closed_by")
    list_filter = ("status", "unit")
    readonly_fields = ("evaluation", "unit", "opened_at", "closed_at", "closed_by")
