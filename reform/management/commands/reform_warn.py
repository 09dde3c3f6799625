"""manage.py reform_warn: warn each lead unit of its CCHC-plan tasks overdue or due soon.

Run once a day (cron or a systemd timer, docs/reform.md). Each unit's heads and specialists are
told through `notifications.services.notify_staff` (their "Thông báo" page, e-mail, SMS);
`--no-notify` only prints the list.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from accounts.models import Role
from accounts.selectors import unit_members
from notifications.services import notify_staff
from reform.selectors.warnings import tasks_to_warn


class Command(BaseCommand):
    help = ("Cảnh báo đơn vị chủ trì các nhiệm vụ kế hoạch CCHC đã quá hạn hoặc sắp đến hạn "
            "trong N ngày.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7,
                            help="Số ngày nhìn trước (mặc định 7).")
        parser.add_argument("--date", default="", help="Ngày tính (yyyy-mm-dd); mặc định hôm nay.")
        parser.add_argument("--no-notify", action="store_true",
                            help="Chỉ in danh sách, không gửi thông báo.")

    def handle(self, *args, days: int, date: str, no_notify: bool = False, **options):
        today = parse_date(date) if date else timezone.localdate()
        if today is None:
            raise CommandError("--date phải có dạng yyyy-mm-dd.")
        told = 0
        per_unit = tasks_to_warn(today=today, days=days)
        self.stdout.write(f"Cảnh báo nhiệm vụ CCHC ngày {today:%d/%m/%Y}, nhìn trước {days} "
                          f"ngày: {sum(len(t) for t in per_unit.values())} nhiệm vụ, "
                          f"{len(per_unit)} đơn vị.")
        for unit, tasks in per_unit.items():
            lines = []
            for task in tasks:
                state = ("QUÁ HẠN" if task.due < today else "sắp đến hạn")
                lines.append(f"- {task.number} {task.title} | hạn {task.due:%d/%m/%Y} | {state} | "
                             f"tiến độ {task.progress}%")
            self.stdout.write(f"\n== {unit.name} ({len(tasks)})")
            for line in lines:
                self.stdout.write(line)
            if no_notify:
                continue
            overdue = sum(1 for t in tasks if t.due < today)
            subject = (f"Nhiệm vụ cải cách hành chính: {overdue} quá hạn, "
                       f"{len(tasks) - overdue} sắp đến hạn")
            body = (f"Các nhiệm vụ {unit.name} chủ trì cần hoàn thành (ngày "
                    f"{today:%d/%m/%Y}):\n" + "\n".join(lines))
            people = {u.pk: u for role in (Role.HEAD, Role.SPECIALIST)
                      for u in unit_members(unit=unit, role=role)}
            for person in people.values():
                if notify_staff(person, subject, body):
                    told += 1
        if not no_notify:
            self.stdout.write(f"\nĐã gửi thông báo cho {told} người.")
