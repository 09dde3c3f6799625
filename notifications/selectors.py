"""What a staff member's "Thông báo" page reads."""

from django.db.models import QuerySet

from accounts.models import User
from notifications.models import Channel, Notification


def staff_messages(user: User) -> QuerySet[Notification]:
    """The person's own page messages, newest first."""
    return Notification.objects.filter(recipient_user=user, channel=Channel.WEB).order_by(
        "-created_at", "-id")


def staff_unread_count(user: User) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return staff_messages(user).filter(read_at__isnull=True).count()
