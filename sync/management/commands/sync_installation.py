"""National mode: register (or change the password of) a provincial installation."""

from django.core.management.base import BaseCommand

from sync.national import installation_save


class Command(BaseCommand):
    help = "Khai báo hệ thống cấp tỉnh được phép đồng bộ (chế độ quốc gia)."

    def add_arguments(self, parser):
        parser.add_argument("unit_code", help="Mã đơn vị (madonvi), ví dụ 000.00.00.H56")
        parser.add_argument("--name", required=True)
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--province", type=int, default=None, help="Mã tỉnh")

    def handle(self, *args, unit_code, name, username, password, province, **options):
        installation_save(unit_code=unit_code, name=name, username=username, password=password,
                          province_code=province)
        self.stdout.write(f"Đã lưu {unit_code} ({username}).")
