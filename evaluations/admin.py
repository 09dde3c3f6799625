from django.contrib import admin

from accounts.admin_reads import PersonalDataAdmin, Read
from dossiers.selectors import dossier_owner_number
from evaluations.models import Evaluation, FollowUp


@admin.register(Evaluation)
class EvaluationAdmin(PersonalDataAdmin):
    """Read-only: answers are stored as given, never edited afterwards.

    An evaluation's comment is the citizen's own words about their dossier and often holds their
    name, phone or address: opening it is a logged read of the dossier's owner (Decree
    13/2023/NĐ-CP art. 9, accounts/admin_reads.py)."""

    list_display = ("dossier", "unit", "channel", "officer_entered", "confirmed_at",
                    "overall_rating", "ease_rating", "created_at")
    list_select_related = ("dossier",)
    list_filter = ("channel", "officer_entered", "overall_rating", "unit")
    search_fields = ("dossier__code", "comment")

    def personal_reads(self, obj: Evaluation) -> list[Read]:
        d = obj.dossier
        return [(dossier_owner_number(d), d.owner_name or d.applicant_name, d.code)]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("evaluation", "unit", "status", "opened_at", "closed_at", "closed_by")
    list_filter = ("status", "unit")
    readonly_fields = ("evaluation", "unit", "opened_at", "closed_at", "closed_by")
