"""manage.py feedback_warn_overdue: tell each unit's feedback officers and heads about the items
they hold past a due moment (once a day per item). Run it each working morning."""

from django.core.management.base import BaseCommand

from feedback.services.overdue import overdue_warn


class Command(BaseCommand):
    help = "Cảnh báo cán bộ về phản ánh, kiến nghị quá hạn phân loại, chuyển hoặc trả lời."

    def handle(self, *args, **options):
        self.stdout.write(f"Đã cảnh báo {overdue_warn()} phản ánh quá hạn.")
