from django.contrib import admin

from results.models import DocumentReuse, StoredDocument


@admin.register(StoredDocument)
class StoredDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "document_number", "owner_id_number", "issuer_unit", "issued_at",
                    "kind"]
    search_fields = ["document_number", "owner_id_number", "result_code", "title"]
    list_filter = ["kind", "result_type"]
    readonly_fields = ["uid", "sha256", "size", "signatures", "file"]


@admin.register(DocumentReuse)
class DocumentReuseAdmin(admin.ModelAdmin):
    list_display = ["stored", "dossier_document", "at"]
