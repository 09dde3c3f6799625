import json
from datetime import timedelta

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from catalog.models import (
    Fee,
    Field,
    LegalBasis,
    LifeEvent,
    Procedure,
    RequiredDocument,
    SearchSynonym,
    Step,
    TimeLimit,
    UnmatchedSearch,
    Variant,
)
from catalog.services import procedure_set_search_text
from catalog.text import fold
from motcua.admin_files import DownloadLinksAdmin


def _pretty_json(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return format_html('<pre class="catalog-raw">{}</pre>', text)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    fields = ["order", "number", "title"]
    extra = 0


class VariantInline(admin.TabularInline):
    model = Variant
    fields = ["order", "name", "cutoff_time", "civil_code_counting"]
    extra = 0
    show_change_link = True


class HasIssuesFilter(admin.SimpleListFilter):
    title = _("phân tích dữ liệu gốc")
    parameter_name = "issues"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("yes", _("Còn phần chưa phân tích được")), ("no", _("Đã phân tích trọn vẹn"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.exclude(parse_issues=[])
        if self.value() == "no":
            return queryset.filter(parse_issues=[])
        return queryset


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "name", "field", "level", "online_level", "is_active",
                    "issue_count"]
    list_filter = ["is_active", "level", "online_level", HasIssuesFilter, "field"]
    search_fields = ["code", "name"]
    list_select_related = ["field"]
    autocomplete_fields = ["field", "competent_unit"]
    readonly_fields = ["code", "version", "search_text", "source_hash", "source_record_display",
                       "parse_issues_display", "created_at", "updated_at"]
    exclude = ["source_record", "parse_issues"]
    inlines = [LegalBasisInline, VariantInline]

    class Media:
        css = {"all": ["catalog/admin.css"]}

    @admin.display(description=_("số chỗ chưa phân tích"))
    def issue_count(self, obj: Procedure) -> int:
        return len(obj.parse_issues or [])

    @admin.display(description=_("bản ghi gốc"))
    def source_record_display(self, obj: Procedure) -> str:
        return _pretty_json(obj.source_record)

    @admin.display(description=_("phần chưa phân tích được"))
    def parse_issues_display(self, obj: Procedure) -> str:
        return _pretty_json(obj.parse_issues)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet,
                           search_term: str) -> tuple[QuerySet, bool]:
        # Staff type names without diacritics as often as citizens do.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = fold(search_term).split()
        if words:
            folded = queryset
            for word in words:
                folded = folded.filter(search_text__contains=word)
            results = results | folded
        return results, may_have_duplicates

    def save_model(self, request: HttpRequest, obj: Procedure, form, change: bool) -> None:
        procedure_set_search_text(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The next public search would notice the change and rebuild; doing it here spares a
        # citizen the wait (a few seconds for the national catalogue).
        from catalog.search.index import index_rebuild

        index_rebuild()


class TimeLimitInline(admin.TabularInline):
    model = TimeLimit
    fields = ["channel", "amount", "unit", "inferred", "description"]
    extra = 0


class FeeInline(admin.TabularInline):
    model = Fee
    fields = ["channel", "name", "amount", "description"]
    extra = 0


class RequiredDocumentInline(DownloadLinksAdmin, admin.TabularInline):
    model = RequiredDocument
    # The template is public: linked to the catalogue's own route (motcua/admin_files.py).
    download_urls = {"template_file": lambda doc: reverse(
        "catalog:template_file", args=[doc.variant.procedure.code, doc.pk])}
    # The marks read by catalog/parsing/papers.py can be corrected here (docs/papers.md).
    fields = ["order", "name", "copy_kind", "count", "template_name", "template_file",
              "template_url", "optional", "alternative_group", "choices", "condition", "lookup",
              "section"]
    extra = 0


class StepInline(admin.TabularInline):
    model = Step
    fields = ["order", "name", "role", "unit", "share_percent"]
    autocomplete_fields = ["unit"]
    extra = 0


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ["name", "procedure", "order"]
    list_filter = ["procedure__level", "procedure__is_active"]
    search_fields = ["name", "procedure__code", "procedure__name"]
    list_select_related = ["procedure"]
    autocomplete_fields = ["procedure"]
    inlines = [TimeLimitInline, FeeInline, RequiredDocumentInline, StepInline]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """The thesaurus: what citizens type and the catalogue's words for it (catalog/search/)."""

    list_display = ["phrase", "official_display", "kind", "both_ways", "is_active"]
    list_filter = ["kind", "both_ways", "is_active"]
    search_fields = ["phrase", "official", "note"]
    fields = ["phrase", "official", "kind", "both_ways", "is_active", "note"]

    @admin.display(description=_("danh mục gọi là"))
    def official_display(self, obj: SearchSynonym) -> str:
        return " / ".join(obj.official_terms)


@admin.register(UnmatchedSearch)
class UnmatchedSearchAdmin(admin.ModelAdmin):
    """Searches with no good match, counted per day (catalog/services.py): the words an
    administrator may add to the thesaurus. Read-only: the search writes them."""

    list_display = ["query", "day", "count", "recent_total", "thesaurus_link"]
    list_filter = ["day"]
    date_hierarchy = "day"
    search_fields = ["query"]
    ordering = ["-day", "-count", "query"]
    RECENT_DAYS = 30

    def get_queryset(self, request: HttpRequest) -> QuerySet[UnmatchedSearch]:
        # How often the same words came back over the last 30 days: the lines worth a thesaurus
        # entry first (sortable).
        since = timezone.localdate() - timedelta(days=self.RECENT_DAYS - 1)
        recent = (UnmatchedSearch.objects.filter(query=OuterRef("query"), day__gte=since)
                  .order_by().values("query").annotate(total=Sum("count")).values("total"))
        return super().get_queryset(request).annotate(
            recent=Coalesce(Subquery(recent), 0))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("số lần trong 30 ngày"), ordering="recent")
    def recent_total(self, obj: UnmatchedSearch) -> int:
        return obj.recent

    @admin.display(description=_("thêm vào từ đồng nghĩa"))
    def thesaurus_link(self, obj: UnmatchedSearch) -> str:
        # The add form of a thesaurus line, its "người dân gõ" filled with these words: the
        # administrator keeps the part people say differently and writes the catalogue's words.
        url = reverse("admin:catalog_searchsynonym_add") + "?" + urlencode(
            {"phrase": obj.query, "note": _("Từ danh sách tìm kiếm không có kết quả phù hợp.")})
        return format_html('<a href="{}">{}</a>', url, _("Thêm dòng từ đồng nghĩa"))


class LifeEventForm(forms.ModelForm):
    class Meta:
        model = LifeEvent
        fields = ["name", "description", "phrases", "procedure_codes", "order", "is_active"]

    def clean_procedure_codes(self) -> str:
        codes = [c.strip() for c in self.cleaned_data["procedure_codes"].split() if c.strip()]
        known = set(Procedure.objects.filter(code__in=codes, is_active=True)
                    .values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(
                _("Không có thủ tục đang áp dụng với mã: %(codes)s.")
                % {"codes": ", ".join(unknown)})
        if not codes:
            raise forms.ValidationError(_("Cần ít nhất một mã thủ tục."))
        return "\n".join(codes)


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    """Life events: a described need and the procedures it takes (catalog/search/)."""

    form = LifeEventForm
    list_display = ["name", "order", "procedure_count", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "phrases", "description"]

    @admin.display(description=_("số thủ tục"))
    def procedure_count(self, obj: LifeEvent) -> int:
        return len(obj.codes)
