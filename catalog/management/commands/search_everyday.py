"""`manage.py search_everyday FREQUENCIES PART PART …`: the query's words weighed by how much
more they belong to everyday speech than to the catalogue (catalog/evaluation/everyday.py),
measured on development parts, each part's best trial measured on the others (docs/search.md,
fourteenth round)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.evaluation import everyday
from catalog.evaluation.trials import cross_check, numbers, parts_loaded
from catalog.search import fit, ranking


class Command(BaseCommand):
    help = ("Đo trọng số từ của truy vấn theo mức thông dụng ngoài đời so với trong danh mục "
            "(tệp tần suất từ tiếng Việt \"từ<TAB>tần suất\"), trên các phần phát triển (tệp "
            "JSON lines như search_eval): mỗi tổ hợp trên từng phần, rồi tổ hợp tốt nhất của "
            "mỗi phần đo trên các phần còn lại. Không đổi cách xếp hạng.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("frequencies", type=Path, help="Tệp \"từ<TAB>tần suất\" UTF-8")
        parser.add_argument("files", type=Path, nargs="+", help="Các tệp .jsonl phát triển")
        parser.add_argument("--a", default="-2.5,-2,-1.5,-1",
                            help="Mức thông dụng (log10) từ đó từ bắt đầu nhẹ đi.")
        parser.add_argument("--b", default="1,2", help="Khoảng để nhẹ đi hết mức.")
        parser.add_argument("--lam", default="0.3,0.6,1",
                            help="Mức nhẹ đi tối đa của một từ (0 đến 1).")

    def handle(self, *args, frequencies: Path, files: list[Path], a: str, b: str, lam: str,
               **options) -> None:
        scales = everyday.grid(numbers(a), numbers(b), numbers(lam))
        if not scales or any(s.b <= 0 or not 0 <= s.lam <= 1 for s in scales):
            raise CommandError("Cần ít nhất một tổ hợp, b > 0 và 0 ≤ lam ≤ 1.")
        if not frequencies.is_file():
            raise CommandError(f"Không tìm thấy tệp {frequencies}.")
        try:
            words = everyday.load_frequencies(frequencies)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{frequencies}: {error}") from None
        index, lexicon, items = parts_loaded(files)
        self.stdout.write(f"{len(words)} từ (đã bỏ dấu) trong {frequencies}.")
        today = {name: fit.measure(index, fit.cases(part, index, lexicon), ranking.weights())
                 for name, part in items.items()}
        for name, score in today.items():
            self.stdout.write(f"hôm nay, {name}: {score.row()}")
        scores = {name: {} for name in items}
        for scale in scales:
            with everyday.scaled(index, words, scale):
                for name, part in items.items():
                    scores[name][scale] = fit.measure(index, fit.cases(part, index, lexicon),
                                                      ranking.weights())
            self.stdout.write(f"a={scale.a:g} b={scale.b:g} lam={scale.lam:g}: " + "; ".join(
                f"{name} {scores[name][scale].row()}" for name in items))
        cross_check(self.stdout, scores, today, everyday.best,
                    lambda c: f"a={c.a:g} b={c.b:g} lam={c.lam:g}")
