"""Admin of the yearly plan and the directive register; the task history is read-only."""

from django.contrib import admin
from django.urls import reverse

from motcua.admin_files import DownloadLinksAdmin
from reform.models import Directive, Evidence, Plan, Task, TaskEvent


class TaskEventInline(admin.TabularInline):
    model = TaskEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "status_from", "status_to", "progress", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # history is written by the services only, never by hand

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EvidenceInline(DownloadLinksAdmin, admin.TabularInline):
    model = Evidence
    extra = 0
    can_delete = False
    fields = ["kind", "title", "file", "file_name", "url", "added_by", "added_at"]
    # The task page's route, under its rule (motcua/admin_files.py).
    download_urls = {"file": lambda evidence: reverse("reform:evidence_file",
                                                      args=[evidence.pk])}
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "decision_number", "decision_date", "unit", "draft"]
    list_filter = ["year", "draft"]
    search_fields = ["title", "decision_number"]
    raw_id_fields = ["unit", "created_by"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "area", "lead_unit", "deadline", "status", "progress"]
    list_filter = ["plan", "area", "status"]
    search_fields = ["title", "number"]
    raw_id_fields = ["plan", "parent", "lead_unit"]
    filter_horizontal = ["cooperating_units", "directives"]
    autocomplete_fields = []
    # Status, progress and done day change through the lead unit's reports and the officer's
    # acceptance, each with its history row.
    readonly_fields = ["status", "progress", "done_on"]
    exclude = ["procedures"]
    inlines = [EvidenceInline, TaskEventInline]


@admin.register(Directive)
class DirectiveAdmin(DownloadLinksAdmin, admin.ModelAdmin):
    download_urls = {"file": lambda directive: reverse("reform:directive_file",
                                                       args=[directive.pk])}
    list_display = ["number", "date", "kind", "issuer", "summary"]
    list_filter = ["kind"]
    search_fields = ["number", "summary", "issuer"]
    date_hierarchy = "date"
    raw_id_fields = ["created_by"]
