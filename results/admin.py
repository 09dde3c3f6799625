from django.contrib import admin
from django.urls import reverse

from accounts.admin_reads import PersonalDataAdmin, Read
from dossiers.selectors import dossier_owner_number
from motcua.admin_files import DownloadLinksAdmin
from results.models import DocumentReuse, ResultDraft, SignatureBlock, StoredDocument
from results.numbering import result_numbered, results_number_all


@admin.register(StoredDocument)
class StoredDocumentAdmin(DownloadLinksAdmin, PersonalDataAdmin):
    """A stored paper's page shows its owner's number: a logged read (accounts/admin_reads.py);
    the list names the owner only."""

    list_display = ["title", "document_number", "owner_name", "issuer_unit", "issued_at", "kind"]
    search_fields = ["document_number", "owner_id_number", "result_code", "title"]
    list_filter = ["kind", "result_type"]
    readonly_fields = ["uid", "sha256", "size", "signatures", "file"]
    # The data store's route: its rule (stored_visible) and its logged read of the owner.
    download_urls = {"file": lambda stored: reverse("results:download", args=[stored.uid])}

    def get_changelist_instance(self, request):
        # No result listed without its number: those approved unnumbered are numbered first
        # (results/numbering.py; none when the worker has run). Here, not in changelist_view,
        # whose guarded read (accounts/admin_reads.py) a subclass must not wrap.
        results_number_all()
        return super().get_changelist_instance(request)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        return result_numbered(obj) if obj is not None else None

    def personal_reads(self, obj: StoredDocument) -> list[Read]:
        return [(obj.owner_id_number, obj.owner_name, obj.document_number or str(obj.uid))]


@admin.register(DocumentReuse)
class DocumentReuseAdmin(admin.ModelAdmin):
    list_display = ["stored", "dossier_document", "at"]


@admin.register(SignatureBlock)
class SignatureBlockAdmin(admin.ModelAdmin):
    list_display = ["unit", "signer", "authority", "on_behalf_of", "signer_title", "method",
                    "active"]
    list_filter = ["authority", "method", "active"]
    search_fields = ["unit__name", "signer__username", "signer_title"]
    autocomplete_fields = ["unit", "signer"]


@admin.register(ResultDraft)
class ResultDraftAdmin(DownloadLinksAdmin, PersonalDataAdmin):
    """A draft of the result paper is written for the dossier's owner and names them, with their
    number: its page is a logged read of the owner (Decree 13/2023/NĐ-CP art. 9)."""

    list_display = ["dossier", "version", "status", "source", "author", "created_at"]
    list_select_related = ["dossier", "author"]
    list_filter = ["status", "source"]
    readonly_fields = [f.name for f in ResultDraft._meta.fields]
    # The drafting page's route: the dossier's staff only, each download logged.
    download_urls = {"upload": lambda draft: reverse(
        "results:draft_upload", args=[draft.dossier.code, draft.version])}

    def personal_reads(self, obj: ResultDraft) -> list[Read]:
        d = obj.dossier
        return [(dossier_owner_number(d), d.owner_name or d.applicant_name, d.code)]

    def has_add_permission(self, request) -> bool:
        return False
