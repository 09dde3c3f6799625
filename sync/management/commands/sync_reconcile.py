"""Daily reconciliation: every dossier whose status at the portal differs from ours."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from sync.portal_client import PortalClient
from sync.services import sync_reconcile


class Command(BaseCommand):
    help = "Đối chiếu trạng thái hồ sơ với Cổng Dịch vụ công quốc gia và lưu các hồ sơ lệch."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=0,
                            help="Chỉ đối chiếu hồ sơ thay đổi trong số ngày gần đây (0: tất cả).")

    def handle(self, *args, days: int, **options):
        since = timezone.now() - timedelta(days=days) if days else None
        client = PortalClient.from_settings()
        try:
            run = sync_reconcile(client=client, since=since)
        finally:
            client.close()
        for row in run.rows.all():
            self.stdout.write(f"{row.dossier_code}\tchúng tôi={row.ours}\tCổng={row.theirs or '—'}")
        if run.error:
            self.stderr.write(f"Lỗi: {run.error}")
        self.stdout.write(f"Đối chiếu {run.checked} hồ sơ, {run.differences} hồ sơ lệch.")
