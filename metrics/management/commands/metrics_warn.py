"""manage.py metrics_warn: the daily early-warning list, grouped by the responsible person.

There is no notification adapter yet (docs/metrics.md): the list is printed, for a scheduler to
mail or for an operator to read. The command only reads.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from metrics.selectors import WARNING_LABELS, dossier_warnings, warnings_by_person


class Command(BaseCommand):
    help = ("Liệt kê hồ sơ sắp đến hạn bước xử lý trong N giờ làm việc và hồ sơ đã quá hạn, "
            "theo người chịu trách nhiệm; đánh dấu hồ sơ cần phát hành phiếu xin lỗi.")

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=8,
                            help="Số giờ làm việc nhìn trước (mặc định 8 = 1 ngày làm việc).")
        parser.add_argument("--at", default="",
                            help="Thời điểm tính (ISO 8601 có múi giờ); mặc định: bây giờ.")

    def handle(self, *args, hours: int, at: str, **options):
        now = parse_datetime(at) if at else timezone.now()
        if now is None or timezone.is_naive(now):
            self.stderr.write("--at phải là thời điểm ISO 8601 có múi giờ.")
            return
        warnings = dossier_warnings(now=now, hours=hours)
        local = timezone.localtime(now)
        self.stdout.write(f"Cảnh báo hồ sơ lúc {local:%d/%m/%Y %H:%M}, nhìn trước {hours} giờ "
                          f"làm việc: {len(warnings)} hồ sơ.")
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
