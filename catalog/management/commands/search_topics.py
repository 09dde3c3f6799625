"""`manage.py search_topics PART PART …`: topic vectors learned from the catalogue's text
(catalog/evaluation/topics.py) measured as a re-ranking signal on development parts, each
best trial measured on the parts it was not chosen on (docs/search.md, fourteenth round)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.evaluation import topics
from catalog.evaluation.trials import cross_check, numbers, parts_loaded
from catalog.search import fit, ranking


class Command(BaseCommand):
    help = ("Đo tín hiệu chủ đề (phân tích ngữ nghĩa tiềm ẩn trên văn bản danh mục) khi xếp "
            "lại các ứng viên tìm kiếm, trên các phần phát triển (tệp JSON lines như "
            "search_eval): mỗi tổ hợp tham số trên từng phần, rồi tổ hợp tốt nhất của mỗi "
            "phần đo trên các phần còn lại. Không đổi cách xếp hạng.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", type=Path, nargs="+", help="Các tệp .jsonl phát triển")
        parser.add_argument("--k", default="100,200,400",
                            help="Số chủ đề, cách nhau bằng dấu phẩy.")
        parser.add_argument("--boost", default="0.2,0.4,0.6",
                            help="Mức nâng điểm theo cosin chủ đề, cách nhau bằng dấu phẩy.")
        parser.add_argument("--min-words", default="0,6,9", dest="min_words",
                            help="Chỉ áp dụng cho truy vấn từ chừng ấy tiếng trở lên.")

    def handle(self, *args, files: list[Path], k: str, boost: str, min_words: str,
               **options) -> None:
        trials = topics.grid(numbers(k, int), numbers(boost, float),
                             numbers(min_words, int))
        if not trials or any(t.k < 1 or t.boost < 0 for t in trials):
            raise CommandError("Cần ít nhất một tổ hợp, số chủ đề ≥ 1 và mức nâng ≥ 0.")
        index, lexicon, queries = parts_loaded(files)
        parts = {name: fit.cases(found, index, lexicon) for name, found in queries.items()}
        started = time.process_time()
        coords = topics.vectors(index, max(t.k for t in trials))
        self.stdout.write(f"{coords.shape[1]} chủ đề của {index.size} thủ tục trong "
                          f"{time.process_time() - started:.1f} giây CPU.")
        today = {name: fit.measure(index, found, ranking.weights())
                 for name, found in parts.items()}
        for name, score in today.items():
            self.stdout.write(f"hôm nay, {name}: {score.row()}")
        scores = {name: {} for name in parts}
        for trial in trials:
            row = []
            for name, found in parts.items():
                scores[name][trial] = topics.measure(index, found, coords, trial)
                row.append(f"{name} {scores[name][trial].row()}")
            self.stdout.write(f"k={trial.k} nâng={trial.boost:g} từ≥{trial.min_words}: "
                              + "; ".join(row))
        cross_check(self.stdout, scores, today, topics.best,
                    lambda c: f"k={c.k} nâng={c.boost:g} từ≥{c.min_words}")
