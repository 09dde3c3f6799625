from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: tỉnh, trung tâm, sở, xã, tài khoản cán bộ, thủ tục và hồ sơ."

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(
            f"Đã nạp dữ liệu mẫu: {counts['units']} đơn vị, {counts['staff']} tài khoản cán bộ, "
            f"{counts['procedures']} thủ tục, {counts['dossiers']} hồ sơ mới.\n"
            f"Mật khẩu của mọi tài khoản mẫu: {DEMO_PASSWORD} (xem README)."
        )
