from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken import admin as _token_admin  # noqa: F401 - undone below
from rest_framework.authtoken.models import TokenProxy

from accounts.admin_reads import PersonalDataAdmin, Read
from accounts.models import (
    ApiToken,
    Commune,
    IdentityProof,
    Membership,
    PersonalDataAccess,
    Province,
    Unit,
    User,
)
from accounts.second_factor import second_factor_reset
from motcua.errors import DomainError


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(PersonalDataAdmin, BaseUserAdmin):
    """An account's page shows its ID number, address, phone and e-mail: a logged read
    (accounts/admin_reads.py); the list names the accounts only."""

    list_display = ["username", "full_name", "kind", "vneid_verified", "is_active"]
    list_filter = ["kind", "is_active", "vneid_verified", "awaiting_verification",
                   "memberships__role"]
    search_fields = ["username", "full_name", "personal_id", "email", "phone"]
    personal_search_fields = ("personal_id", "email", "phone")
    inlines = [MembershipInline]
    actions = ["reset_second_factor", "revoke_api_tokens"]

    def personal_reads(self, obj: User) -> list[Read]:
        return [(number, obj.full_name, obj.username)
                for number in (obj.personal_id, obj.tax_code) if number]

    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Thông tin một cửa"), {"fields": ("kind", "full_name", "title", "personal_id",
                                             "birth_date", "address", "phone",
                                             "organization_name", "tax_code")}),
        (_("Xác thực"), {"fields": ("vneid_verified", "awaiting_verification")}),
    )

    @admin.action(description=_("Thu hồi mã truy cập API (token) của tài khoản"),
                  permissions=["change"])
    def revoke_api_tokens(self, request, queryset):
        """What DRF's token page offered that is still needed, without showing any token: the
        account signs in again (with its second factor) to get a new one."""
        revoked, _kinds = ApiToken.objects.filter(user__in=queryset).delete()
        self.message_user(request, _("Đã thu hồi %(n)d mã truy cập API.") % {"n": revoked})

    # Only for who may change accounts: Django offers an action without `permissions` to anyone
    # who may view the list.
    @admin.action(description=_("Đặt lại xác thực hai bước (mất điện thoại)"),
                  permissions=["change"])
    def reset_second_factor(self, request, queryset):
        """Asks the reason first; the reset of each account goes to the admin log with it."""
        reason = request.POST.get("reason", "")
        if request.POST.get("confirmed"):
            try:
                for user in queryset:
                    second_factor_reset(user=user, by=request.user, reason=reason)
            except DomainError as e:
                self.message_user(request, e.localized_message, messages.ERROR)
            else:
                self.message_user(request, _("Đã đặt lại xác thực hai bước cho %(n)d tài khoản.")
                                  % {"n": len(queryset)})
                return None
        return TemplateResponse(request, "admin/accounts/second_factor_reset.html", {
            **self.admin_site.each_context(request), "users": queryset, "reason": reason,
            "action": "reset_second_factor", "opts": self.model._meta,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)})


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


@admin.register(IdentityProof)
class IdentityProofAdmin(PersonalDataAdmin):
    """Proofs are appended by VNeID log-ins and desk officers; here they are read and revoked.
    The list names the account, not the proven number; the page shows it, a logged read."""

    list_display = ["user", "kind", "method", "unit", "officer", "at", "revoked_at"]
    # The account of each row is read by the page and by the search's log (personal_reads).
    list_select_related = ["user", "unit", "officer"]
    list_filter = ["kind", "method", "unit"]
    search_fields = ["number", "user__username"]
    readonly_fields = ["user", "kind", "number", "method", "officer", "unit", "paper", "at",
                       "revoked_at", "revoked_by"]
    fields = readonly_fields + ["revoke_reason"]

    def personal_reads(self, obj: IdentityProof) -> list[Read]:
        return [(obj.number, obj.user.full_name, obj.user.username)]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        from accounts.services.identity import identity_revoke

        if "revoke_reason" in form.changed_data and obj.revoked_at is None:
            identity_revoke(proof=obj, by=request.user, reason=obj.revoke_reason)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The log is read only: nobody edits or deletes what staff read."""

    list_display = ["at", "user", "unit", "subject", "subject_name", "action", "reference",
                    "purpose", "outcome"]
    list_filter = ["action", "unit"]
    search_fields = ["subject", "user__username", "reference"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# DRF's token admin listed every API token's key (and its pages' titles name it; its add form
# makes one for any account and shows it): an administrator could copy a head's token — got
# with the head's second factor — and call the API as the head, every read logged in the head's
# name. No page shows a token; `revoke_api_tokens` above ends an account's (audit9).
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


class _DeviceViewOnly:
    """An authenticator's or the recovery codes' page, to see who has one and when it was last
    used — never its secret (settings.OTP_ADMIN_HIDE_SENSITIVE_DATA hides the TOTP key, its QR
    code and the recovery codes of a device that exists). Nobody makes, moves or edits one here:
    a device an administrator added with a key they chose, or moved from their own account to a
    head's, would be the head's second factor in the administrator's hands. Staff enrol their
    own (accounts/second_factor_views.py); a lost one is reset by the account list's action,
    with its reason (audit9)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


for _model, _base in ((TOTPDevice, TOTPDeviceAdmin), (StaticDevice, StaticDeviceAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, type(_base.__name__, (_DeviceViewOnly, _base), {}))
