from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Unit
from catalog.models import TimeUnit
from dossiers import deadlines
from dossiers.calendar import calendar_for_unit


def _start(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise CommandError(
            f"Thời điểm bắt đầu “{text}” không hợp lệ; ghi dạng 2026-02-12 10:00.") from exc
    if moment.tzinfo is None:
        return moment.replace(tzinfo=deadlines.TZ)
    return moment.astimezone(deadlines.TZ)


def _cutoff(text: str | None) -> time | None:
    if not text:
        return None
    try:
        return time.fromisoformat(text.strip())
    except ValueError as exc:
        raise CommandError(f"Giờ chốt “{text}” không hợp lệ; ghi dạng 15:00.") from exc


class Command(BaseCommand):
    help = ("Tính ngày hẹn trả theo lịch làm việc / Compute a due moment from a start moment and "
            "a time limit, e.g. --start \"2026-02-12 10:00\" --amount 3 --unit working_days.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--start", required=True,
            help="Thời điểm tiếp nhận, giờ Việt Nam / receipt moment, e.g. \"2026-02-12 10:00\".")
        parser.add_argument(
            "--amount", required=True,
            help="Thời hạn giải quyết / time limit, e.g. 3 or 0.5.")
        parser.add_argument(
            "--unit", default=TimeUnit.WORKING_DAYS, choices=TimeUnit.values,
            help="Đơn vị thời hạn / unit of the limit (default working_days).")
        parser.add_argument(
            "--civil-code", action="store_true",
            help="Tính theo Bộ luật Dân sự (không tính ngày đầu, hết giờ làm việc ngày cuối) / "
                 "Civil Code counting.")
        parser.add_argument(
            "--cutoff", metavar="HH:MM",
            help="Giờ chốt tiếp nhận trong ngày / same-day cut-off, e.g. 15:00.")
        parser.add_argument(
            "--unit-code", metavar="CODE",
            help="Mã đơn vị để dùng lịch làm việc riêng / use that unit's calendar.")
        parser.add_argument(
            "--explain", action="store_true",
            help="In thêm thời điểm bắt đầu tính hạn / also print the normalised start.")

    def handle(self, *args, **options) -> None:
        start = _start(options["start"])
        cutoff = _cutoff(options["cutoff"])
        try:
            amount = Decimal(options["amount"].strip())
        except InvalidOperation as exc:
            raise CommandError(f"Thời hạn “{options['amount']}” không phải là số.") from exc
        unit = None
        if options["unit_code"]:
            unit = Unit.objects.filter(code=options["unit_code"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã “{options['unit_code']}”.")
        cal = calendar_for_unit(unit)
        clock = deadlines.clock_start(start, cal, cutoff)
        try:
            due = deadlines.due_moment(clock, amount, options["unit"], cal,
                                       civil_code=options["civil_code"])
        except ValueError as exc:
            raise CommandError(f"Không tính được hạn: {exc}") from exc
        # The due moment stays alone on the first line so that scripts can read it either way.
        self.stdout.write(due.isoformat())
        if options["explain"]:
            hours = ",".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in cal.periods)
            self.stdout.write(f"Tiếp nhận / received: {start.isoformat()}")
            self.stdout.write(f"Bắt đầu tính hạn / clock start: {clock.isoformat()}")
            self.stdout.write(f"Giờ làm việc / office hours: {hours}"
                              f" ({unit.code if unit else 'mặc định / default'})")
