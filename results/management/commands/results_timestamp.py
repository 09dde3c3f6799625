"""Add the RFC 3161 timestamp to signed results that do not have one yet (the TSA was down)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from results.models import StoredDocument
from results.services import stored_document_timestamp


class Command(BaseCommand):
    help = "Gắn dấu thời gian (RFC 3161) cho các kết quả đã ký số nhưng chưa có dấu thời gian."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, **options):
        if not settings.MOTCUA_TSA_URL:
            raise CommandError("MOTCUA_TSA_URL chưa được cấu hình.")
        pending = (StoredDocument.objects.filter(timestamped=False).exclude(signatures=[])
                   .order_by("pk").values_list("pk", flat=True)[:options["limit"]])
        done = failed = 0
        for pk in pending:
            if stored_document_timestamp(pk=pk):
                done += 1
            else:
                failed += 1
        self.stdout.write(f"Đã gắn dấu thời gian: {done}; chưa được: {failed}.")
        if failed:
            raise CommandError("Một số kết quả chưa gắn được dấu thời gian; xem nhật ký.")
