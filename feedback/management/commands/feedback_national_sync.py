"""manage.py feedback_national_sync: send what the national PAKN system is owed (retrying what
failed) and file what citizens sent there. Run it every few minutes (cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from feedback.national import national_sync


class Command(BaseCommand):
    help = "Đồng bộ phản ánh, kiến nghị với Hệ thống PAKN quốc gia (gửi đi và nhận về)."

    def handle(self, *args, **options):
        result = national_sync()
        self.stdout.write(f"Đã gửi {result.sent}, chưa gửi được {result.failed}, chờ "
                          f"{result.waiting}; đã nhận {result.received}, bỏ qua {result.skipped} "
                          "mục không hợp lệ.")
        for error in result.errors[:10]:
            self.stderr.write(error)
