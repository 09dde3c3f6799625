"""Declare (or change) the bank account a unit collects fees into; the VietQR code names it."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Unit
from motcua.errors import DomainError
from payments.models import BankAccount
from payments.vietqr import vietqr_payload


class Command(BaseCommand):
    help = "Khai báo tài khoản thu phí, lệ phí của một đơn vị (mã BIN NAPAS, số tài khoản, tên)."

    def add_arguments(self, parser):
        parser.add_argument("unit_code", help="mã định danh điện tử của đơn vị")
        parser.add_argument("--bin", required=True, help="mã BIN ngân hàng, 6 chữ số")
        parser.add_argument("--account", required=True)
        parser.add_argument("--name", required=True, help="tên chủ tài khoản (không dấu)")
        parser.add_argument("--bank", default="", help="tên ngân hàng")

    def handle(self, *args, unit_code, bin, account, name, bank, **options):  # noqa: A002
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {unit_code}.")
        try:
            # The same checks as every QR code made for it later.
            vietqr_payload(bank_bin=bin, account_number=account, amount=None, purpose="")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        BankAccount.objects.update_or_create(unit=unit, defaults={
            "bank_bin": bin, "account_number": account, "account_name": name.upper(),
            "bank_name": bank or bin})
        self.stdout.write(f"Đã khai báo tài khoản {account} cho {unit.name}.")
