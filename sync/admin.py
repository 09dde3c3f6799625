from django.contrib import admin

from accounts.admin_reads import PersonalDataAdmin, Read
from dossiers.selectors import dossier_owner_number
from sync.models import Installation, NationalDossier, OutboxMessage, ReconcileRun


@admin.register(OutboxMessage)
class OutboxMessageAdmin(PersonalDataAdmin):
    """A message's page shows its payload, the dossier's record for the national portal with the
    applicant's data: a logged read of the dossier's owner (accounts/admin_reads.py)."""

    list_display = ["dossier", "seq", "kind", "status", "tries", "next_try_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["dossier__code", "idempotency_key"]
    raw_id_fields = ["dossier"]
    # Each row's dossier is shown, and read by the search's log (personal_reads).
    list_select_related = ["dossier"]

    def personal_reads(self, obj: OutboxMessage) -> list[Read]:
        d = obj.dossier
        return [(dossier_owner_number(d), d.owner_name or d.applicant_name, d.code)]


@admin.register(ReconcileRun)
class ReconcileRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "checked", "differences"]


@admin.register(Installation)
class InstallationAdmin(admin.ModelAdmin):
    list_display = ["unit_code", "name", "province_code", "username", "is_active"]
    exclude = ["password"]


@admin.register(NationalDossier)
class NationalDossierAdmin(PersonalDataAdmin):
    """A national record's page shows its data as the installation sent it: the owner's name,
    ID number, phone and e-mail (sync/portal_format.py). A logged read of the owner, as the
    dossier's own page is (Decree 13/2023/NĐ-CP art. 9); the list shows codes only."""

    list_display = ["code", "installation", "status", "version", "applied", "updated_at"]
    search_fields = ["code"]

    def personal_reads(self, obj: NationalDossier) -> list[Read]:
        data = obj.data if isinstance(obj.data, dict) else {}
        number = str(data.get("SoGiayToChuHoSo") or data.get("SoDienThoai") or "")
        return [(number, str(data.get("ChuHoSo") or ""), obj.code)]
