from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_reads import PersonalDataAdmin, Read
from dossiers.selectors import dossier_owner_number
from notifications.delivery import notification_resend
from notifications.models import Notification
from notifications.redaction import text_redacted


@admin.register(Notification)
class NotificationAdmin(PersonalDataAdmin):
    """A message's page shows the citizen's phone or e-mail and what was said about their
    dossier: a logged read, under the dossier's owner when there is one, else the address the
    message went to (accounts/admin_reads.py). The list shows no addresses."""

    list_display = ("created_at", "kind", "channel", "dossier", "status", "tries", "sent_at")
    list_select_related = ("dossier",)
    list_filter = ("status", "channel", "kind")
    # Not the text: a search on it answers, one guess at a time, whether a lookup secret or a
    # code waiting to be sent begins so — the secret read without opening (and logging) a page.
    search_fields = ("recipient", "dossier__code")
    # The text and subject without the secrets they carry (notifications/redaction.py): an
    # administrator looks at what was sent and why it failed, never at what opens a dossier.
    fields = [f.name for f in Notification._meta.fields
              if f.name not in ("subject", "body", "secrets")] + ["subject_shown", "body_shown"]
    readonly_fields = fields
    actions = ["resend"]

    def personal_reads(self, obj: Notification) -> list[Read]:
        if obj.dossier is not None:
            d = obj.dossier
            return [(dossier_owner_number(d) or obj.recipient, d.owner_name or d.applicant_name,
                     d.code)]
        user = obj.recipient_user
        if user is not None and user.personal_id:
            return [(user.personal_id, user.full_name, "")]
        return [(obj.recipient, "", "")]

    @admin.display(description=_("tiêu đề"))
    def subject_shown(self, obj: Notification) -> str:
        return text_redacted(obj.subject, obj.secrets)

    @admin.display(description=_("nội dung"))
    def body_shown(self, obj: Notification) -> str:
        return text_redacted(obj.body, obj.secrets)

    @admin.action(description=_("Gửi lại các thông báo đã dừng thử"), permissions=["change"])
    def resend(self, request, queryset):
        for n in queryset.filter(status=Notification.Status.FAILED):
            notification_resend(notification=n)

    def has_add_permission(self, request):
        return False
