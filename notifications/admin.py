from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.delivery import notification_resend
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "channel", "recipient", "status", "tries", "sent_at")
    list_filter = ("status", "channel", "kind")
    search_fields = ("recipient", "dossier__code", "body")
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    @admin.action(description=_("Gửi lại các thông báo đã dừng thử"), permissions=["change"])
    def resend(self, request, queryset):
        for n in queryset.filter(status=Notification.Status.FAILED):
            notification_resend(notification=n)

    def has_add_permission(self, request):
        return False
