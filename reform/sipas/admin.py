"""Admin of SIPAS: the year's question set. Invitations and answer sheets are not listed here:
an answer is read only as an aggregate (reform/sipas/selectors.py)."""

from django.contrib import admin

from reform.models import SipasQuestion, SipasRound, SipasVersion


class QuestionInline(admin.TabularInline):
    model = SipasQuestion
    fields = ("order", "code", "element", "kind", "text", "options")
    extra = 0


@admin.register(SipasVersion)
class VersionAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "decision")
    inlines = [QuestionInline]


@admin.register(SipasRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "organiser", "returned_from", "returned_to", "sample_size",
                    "closes_on")
    readonly_fields = ("version", "organiser", "returned_from", "returned_to", "sample_size",
                       "created_by")
