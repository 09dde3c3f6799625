from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, load_demo

CORE = ("units", "staff", "procedures", "dossiers")


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: tỉnh, trung tâm, sở, xã, tài khoản cán bộ, thủ tục và hồ sơ."

    def handle(self, *args, **options):
        # The demo's accounts share one published password: never on a production database.
        if not settings.DEBUG:
            raise CommandError(
                "Dữ liệu mẫu chỉ được nạp khi DJANGO_DEBUG=1 (môi trường thử): các tài khoản mẫu "
                "dùng chung một mật khẩu công khai. / The demo loads only with DJANGO_DEBUG=1.")
        counts = load_demo()
        self.stdout.write(
            f"Đã nạp dữ liệu mẫu: {counts['units']} đơn vị, {counts['staff']} tài khoản cán bộ, "
            f"{counts['procedures']} thủ tục, {counts['dossiers']} hồ sơ mới."
        )
        # What the apps above accounts loaded (settings.MOTCUA_DEMO_EXTRAS), in their own words.
        for label, count in counts.items():
            if label not in CORE:
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"Mật khẩu của mọi tài khoản mẫu: {DEMO_PASSWORD} (xem README).")
