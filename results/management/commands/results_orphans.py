"""List (or delete) result files that no row refers to.

A result's PDF is written inside the approving transaction, before the commit; if that
transaction rolls back afterwards, the file stays behind without a row (docs/results.md).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from results.models import StoredDocument


class Command(BaseCommand):
    help = "Liệt kê (hoặc xóa với --delete) các tệp kết quả không còn bản ghi nào tham chiếu."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true")

    def handle(self, *args, **options):
        folder = Path(settings.MEDIA_ROOT) / "results"
        if not folder.is_dir():
            self.stdout.write("Không có tệp nào.")
            return
        known = {Path(name).name for name in StoredDocument.objects.values_list("file", flat=True)}
        orphans = [f for f in folder.iterdir() if f.is_file() and f.name not in known]
        for f in orphans:
            self.stdout.write(str(f))
            if options["delete"]:
                f.unlink()
        verb = "Đã xóa" if options["delete"] else "Tìm thấy"
        self.stdout.write(f"{verb} {len(orphans)} tệp không có bản ghi.")
