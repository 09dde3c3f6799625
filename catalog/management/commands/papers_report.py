"""`manage.py papers_report FILE`: how the paper lists of the national file are read."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.evaluation import papers


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%".replace(".", ",")


class Command(BaseCommand):
    help = ("Đo tỷ lệ thủ tục có thành phần hồ sơ được đọc thành nhóm thay thế, điều kiện và "
            "khai thác dữ liệu, và độ chính xác trên tập gán nhãn tay.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp .jsonl hoặc .jsonl.gz của CSDL quốc gia")
        parser.add_argument("--part", choices=["dev", "test", "both"], default="both",
                            help="Phần tập gán nhãn để chấm (mặc định cả hai).")

    def handle(self, *args, file: Path, part: str, **options) -> None:
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        items = list(papers.records(file))
        c = papers.coverage(items)
        self.stdout.write(
            f"Thủ tục: {c.procedures}; đọc được nhóm/điều kiện/khai thác: {c.read} "
            f"({_pct(c.share)}).")
        self.stdout.write(
            f"  nhóm giữa các dòng: {c.with_groups}; lựa chọn trong một dòng: {c.with_choices}; "
            f"điều kiện: {c.with_conditions}; khai thác dữ liệu: {c.with_lookups}.")
        self.stdout.write(
            f"Thủ tục có từ chỉ lựa chọn hoặc trường hợp: {c.with_cues}; trong đó đọc được: "
            f"{c.read_with_cues} ({_pct(c.share_of_cued)}).")
        by_code = {r.get("ma_thu_tuc"): r for r in items}
        for name in (["dev", "test"] if part == "both" else [part]):
            s = papers.score(papers.labels(name), by_code)
            self.stdout.write(
                f"Tập {name} ({s.lists} danh sách): nhóm — độ chính xác "
                f"{_pct(s.group_precision)} ({s.groups_right}/{s.groups_found}), độ phủ "
                f"{_pct(s.group_recall)} ({s.groups_right}/{s.groups_expected}); điều kiện — "
                f"độ chính xác {_pct(s.condition_precision)} "
                f"({s.conditions_right}/{s.conditions_found}), độ phủ "
                f"{_pct(s.condition_recall)} ({s.conditions_right}/{s.conditions_expected}).")
            if name == "dev":
                for line in s.wrong:
                    self.stdout.write(f"  {line}")
