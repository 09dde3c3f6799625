"""The current second-factor code of a demo staff account, for walking the demo without an
authenticator app: `manage.py demo_otp tiepnhan`. Only with DEBUG on (the demo); a real
installation's staff use their own authenticator (accounts/second_factor.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import demo_otp_code


class Command(BaseCommand):
    help = "In mã xác thực hai bước hiện tại của một tài khoản cán bộ mẫu (chỉ khi DEBUG)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Chỉ dùng cho dữ liệu mẫu (DJANGO_DEBUG=1).")
        code = demo_otp_code(username)
        if code is None:
            raise CommandError(f"{username} không có ứng dụng xác thực mẫu.")
        self.stdout.write(code)
