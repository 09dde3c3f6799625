from django.core.management.base import BaseCommand

from dossiers.services.access import access_rebuild


class Command(BaseCommand):
    help = ("Dựng lại bảng đơn vị được xem hồ sơ theo quy tắc (đơn vị tiếp nhận, chủ trì, đang "
            "xử lý, các bước) / Rebuild the (unit, dossier) access rows from the row-level rule.")

    def handle(self, *args, **options):
        added, removed = access_rebuild()
        self.stdout.write(f"Đã thêm {added} và xóa {removed} dòng quyền xem hồ sơ của đơn vị.")
