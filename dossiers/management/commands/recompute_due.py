from django.core.management.base import BaseCommand

from dossiers.services import dossiers_recompute_open


class Command(BaseCommand):
    help = ("Tính lại ngày hẹn trả và hạn từng bước của mọi hồ sơ đang giải quyết sau khi lịch "
            "làm việc thay đổi / Recompute due moments of open dossiers after a calendar change.")

    def handle(self, *args, **options):
        seen, changed = dossiers_recompute_open()
        self.stdout.write(f"Đã tính lại {seen} hồ sơ đang giải quyết; {changed} hồ sơ đổi hạn.")
