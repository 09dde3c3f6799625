"""manage.py metrics_warn: the daily early-warning list, grouped by the responsible person.

The list is printed, and each responsible person is told their part through
`notifications.services.notify_staff` (e-mail, SMS when they have a phone): the current step's
assignee, or the heads of the step's unit when nobody is assigned. `--no-notify` only prints.
"""

from collections import defaultdict

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Role
from accounts.selectors import unit_members
from metrics.selectors import WARNING_LABELS, dossier_warnings, warnings_by_person
from notifications.services import notify_staff


class Command(BaseCommand):
    help = ("Liệt kê hồ sơ sắp đến hạn bước xử lý trong N giờ làm việc và hồ sơ đã quá hạn, "
            "theo người chịu trách nhiệm; đánh dấu hồ sơ cần phát hành phiếu xin lỗi.")

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=8,
                            help="Số giờ làm việc nhìn trước (mặc định 8 = 1 ngày làm việc).")
        parser.add_argument("--at", default="",
                            help="Thời điểm tính (ISO 8601 có múi giờ); mặc định: bây giờ.")
        parser.add_argument("--no-notify", action="store_true",
                            help="Chỉ in danh sách, không gửi thông báo cho người phụ trách.")

    def handle(self, *args, hours: int, at: str, no_notify: bool = False, **options):
        now = parse_datetime(at) if at else timezone.now()
        if now is None or timezone.is_naive(now):
            self.stderr.write("--at phải là thời điểm ISO 8601 có múi giờ.")
            return
        warnings = dossier_warnings(now=now, hours=hours)
        local = timezone.localtime(now)
        self.stdout.write(f"Cảnh báo hồ sơ lúc {local:%d/%m/%Y %H:%M}, nhìn trước {hours} giờ "
                          f"làm việc: {len(warnings)} hồ sơ.")
        lines: dict[int, str] = {}
        for person, rows in warnings_by_person(warnings).items():
            self.stdout.write("")
            self.stdout.write(f"== {person} ({len(rows)})")
            for w in rows:
                due = timezone.localtime(w.dossier.due_at) if w.dossier.due_at else None
                step = timezone.localtime(w.step_due_at) if w.step_due_at else None
                line = (f"- {w.dossier.code} | {WARNING_LABELS[w.kind]} | {w.unit_name} | "
                        f"hạn bước {step:%d/%m/%Y %H:%M} | " if step else
                        f"- {w.dossier.code} | {WARNING_LABELS[w.kind]} | {w.unit_name} | ")
                line += f"hẹn trả {due:%d/%m/%Y %H:%M}" if due else "không có hạn"
                if w.apology_due:
                    line += " | CẦN PHIẾU XIN LỖI (Mẫu 04) trước 1 ngày làm việc"
                self.stdout.write(line)
                lines[w.dossier.pk] = line[2:]
        if not no_notify:
            told = _notify(warnings, lines, local)
            self.stdout.write("")
            self.stdout.write(f"Đã gửi thông báo cho {told} người phụ trách.")


def _notify(warnings, lines: dict[int, str], local) -> int:
    """One message per person with their dossiers; returns how many people were told."""
    per_user: dict = defaultdict(list)
    people: dict = {}
    for w in warnings:
        step = w.dossier.current_step
        if step is not None and step.assignee is not None:
            recipients = [step.assignee]
        else:
            unit = step.unit if step is not None else w.dossier.current_unit
            recipients = unit_members(unit=unit, role=Role.HEAD)
        for user in recipients:
            people[user.pk] = user
            per_user[user.pk].append(lines[w.dossier.pk])
    told = 0
    for pk, rows in per_user.items():
        subject = f"Cảnh báo hồ sơ sắp đến hạn, quá hạn: {len(rows)} hồ sơ"
        body = (f"Danh sách lúc {local:%d/%m/%Y %H:%M}:\n" + "\n".join(f"- {r}" for r in rows))
        if notify_staff(people[pk], subject, body):
            told += 1
    return told
