"""The staff member's "Thông báo" page: what the system told them, unread first marked."""

from django.urls import reverse

from notifications.models import Channel, Notification
from notifications.services import notify_staff


def test_a_staff_member_reads_their_notifications(org, client_for, settings):
    settings.MOTCUA_SMS_URL = ""
    notify_staff(org.specialist, "Cảnh báo hồ sơ sắp đến hạn, quá hạn: 2 hồ sơ",
                 "Danh sách lúc 07:00:\n- H99.01 đến hạn 16:00\n- H99.02 quá hạn")
    notify_staff(org.head, "Đánh giá không hài lòng: hồ sơ H99.03", "Xem và xử lý.")
    c = client_for(org.specialist)
    inbox = c.get(reverse("dossiers:inbox"), follow=True).content.decode()
    # The header counts the unread ones on every staff page.
    assert f'href="{reverse("notifications:inbox")}"' in inbox
    assert 'Thông báo <span class="badge">1</span></a>' in inbox

    page = c.get(reverse("notifications:inbox")).content.decode()
    assert "Cảnh báo hồ sơ sắp đến hạn, quá hạn: 2 hồ sơ" in page
    assert "- H99.01 đến hạn 16:00<br>- H99.02 quá hạn" in page and "Mới" in page
    # Only one's own messages.
    assert "H99.03" not in page
    mine = Notification.objects.get(recipient_user=org.specialist, channel=Channel.WEB)
    assert c.post(reverse("notifications:mark_read"), {"id": mine.pk}).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    inbox = c.get(reverse("dossiers:inbox"), follow=True).content.decode()
    assert "Thông báo</a>" in inbox and '<span class="badge">' not in inbox
    # Marking another person's message is a no-op.
    theirs = Notification.objects.get(recipient_user=org.head, channel=Channel.WEB)
    c.post(reverse("notifications:mark_read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # "Mark all": the head's unread message goes read.
    client_for(org.head).post(reverse("notifications:mark_read"))
    theirs.refresh_from_db()
    assert theirs.read_at is not None


def test_the_page_is_for_staff(client_for, org):
    assert client_for(org.citizen).get(reverse("notifications:inbox")).status_code == 403
