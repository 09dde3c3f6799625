"""`manage.py search_index`: rebuild the search index now (after bulk edits, or nightly so the
popularity prior follows this installation's dossier counts)."""

import time

from django.core.management.base import BaseCommand

from catalog.search.index import index_rebuild


class Command(BaseCommand):
    help = ("Lập lại chỉ mục tìm kiếm thủ tục (sau khi sửa hàng loạt, hoặc hằng đêm để thứ tự "
            "ưu tiên theo số hồ sơ của địa phương được cập nhật).")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        index = index_rebuild()
        self.stdout.write(f"Đã lập chỉ mục {index.size} thủ tục, {len(index.vocab)} từ và cặp "
                          f"từ, trong {time.perf_counter() - started:.1f} giây.")
