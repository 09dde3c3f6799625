"""Admin of the PAR Index: criteria sets are edited here (frozen once a round uses them); the
scoring history is read-only."""

from django.contrib import admin

from reform.models import ParAssessment, ParCriteriaSet, ParCriterion, ParRound, ParScoreEvent


class CriterionInline(admin.TabularInline):
    model = ParCriterion
    fields = ("order", "code", "title", "parent", "depth", "max_points", "answer_kind",
              "scale", "live_metric", "rule", "evidence")
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.rounds.exists()

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(ParCriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "level", "decision", "imported_at")
    list_filter = ("year", "level")
    inlines = [CriterionInline]


@admin.register(ParRound)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("name", "criteria_set", "organiser", "self_deadline", "status")
    readonly_fields = ("status", "published_at")


@admin.register(ParAssessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("round", "unit", "status", "self_points", "final_points", "percent",
                    "rank", "group")
    list_filter = ("round", "status")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # scores change only through the services, with their history


@admin.register(ParScoreEvent)
class ScoreEventAdmin(admin.ModelAdmin):
    list_display = ("at", "assessment", "action", "actor", "old_value", "new_value",
                    "old_points", "new_points", "reason")
    list_filter = ("action",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
