from django.contrib import admin

from payments.models import BankAccount, CallbackLog, Payment, PaymentEvent, PaymentLine


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    list_display = ["unit", "bank_name", "bank_bin", "account_number", "account_name"]
    search_fields = ["unit__name", "account_number"]


class PaymentLineInline(admin.TabularInline):
    model = PaymentLine
    extra = 0
    can_delete = False
    readonly_fields = ["name", "online_amount", "counter_amount", "amount", "exempt_reason"]
    fields = readonly_fields


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["seq", "action", "from_state", "to_state", "at", "source", "actor_name",
                       "amount", "data"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    # Read-only: a payment changes only through payments.services (its ledger must follow).
    list_display = ["reference", "dossier", "amount", "state", "method", "confirmed_by",
                    "created_at", "paid_at"]
    list_filter = ["state", "method", "confirmed_by"]
    search_fields = ["reference", "dossier__code", "transaction_id"]
    inlines = [PaymentLineInline, PaymentEventInline]
    # The payment page's token is the applicant's link; the admin has no use for it (audit9).
    exclude = ["public_token"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(CallbackLog)
class CallbackLogAdmin(admin.ModelAdmin):
    list_display = ["received_at", "source", "reference", "transaction_id", "amount", "status",
                    "outcome", "reason"]
    list_filter = ["outcome", "reason", "source"]
    search_fields = ["reference", "transaction_id"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
