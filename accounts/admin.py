from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Commune, Membership, Province, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "kind", "personal_id", "vneid_verified", "is_active"]
    list_filter = ["kind", "is_active", "vneid_verified", "awaiting_verification",
                   "memberships__role"]
    search_fields = ["username", "full_name", "personal_id", "email", "phone"]
    inlines = [MembershipInline]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Thông tin một cửa"), {"fields": ("kind", "full_name", "title", "personal_id",
                                             "birth_date", "address", "phone",
                                             "organization_name", "tax_code")}),
        (_("Xác thực"), {"fields": ("vneid_verified", "awaiting_verification")}),
    )


class ChildInline(admin.TabularInline):
    model = Unit
    fk_name = "parent"
    fields = ["code", "name", "kind", "receives_dossiers", "is_active"]
    extra = 0
    show_change_link = True


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "receives_dossiers", "is_active"]
    list_filter = ["kind", "receives_dossiers", "is_active", "province"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent", "commune"]
    inlines = [ChildInline, MembershipInline]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["name", "codename"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["province"]
    search_fields = ["name", "codename"]
