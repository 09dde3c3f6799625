"""`manage.py catalog_versions_due`: make public the procedure versions whose date has come.

Run once a day shortly after midnight (cron or a systemd timer). Filing does not wait for it:
a dossier is filed under the version in force on its date in any case (catalog/versions.py);
this switches what the public pages and the search show.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from catalog.versions import procedure_versions_bring_into_force


class Command(BaseCommand):
    help = "Đưa các phiên bản thủ tục đã đến ngày có hiệu lực vào áp dụng trên trang công khai."

    def handle(self, *args, **options) -> None:
        count = procedure_versions_bring_into_force(today=timezone.localdate())
        self.stdout.write(f"Đã đưa {count} phiên bản thủ tục vào áp dụng.")
