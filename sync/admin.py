from django.contrib import admin

from sync.models import Installation, NationalDossier, OutboxMessage, ReconcileRun


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["dossier", "seq", "kind", "status", "tries", "next_try_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["dossier__code", "idempotency_key"]
    raw_id_fields = ["dossier"]


@admin.register(ReconcileRun)
class ReconcileRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "checked", "differences"]


@admin.register(Installation)
class InstallationAdmin(admin.ModelAdmin):
    list_display = ["unit_code", "name", "province_code", "username", "is_active"]
    exclude = ["password"]


@admin.register(NationalDossier)
class NationalDossierAdmin(admin.ModelAdmin):
    list_display = ["code", "installation", "status", "version", "applied", "updated_at"]
    search_fields = ["code"]
