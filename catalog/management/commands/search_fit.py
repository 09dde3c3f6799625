"""`manage.py search_fit PART PART …`: the ranking's weights fitted together on development
parts, each fit measured on the parts it did not see (docs/search.md, thirteenth round)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.evaluation.measure import QuerySetError, query_set
from catalog.search import fit, ranking
from catalog.search.index import current_index, signatures
from catalog.search.lexicon import current_lexicon


class Command(BaseCommand):
    help = ("Khớp đồng thời các trọng số xếp hạng tìm kiếm trên các phần phát triển (tệp JSON "
            "lines như search_eval): khớp trên từng phần, đo trên các phần còn lại, rồi khớp "
            "trên tất cả. In bảng top-1 / top-3 / câu nhu cầu top-3 và các trọng số khớp được.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", type=Path, nargs="+", help="Các tệp .jsonl phát triển")
        parser.add_argument("--penalty", type=float, default=fit.PENALTY,
                            help="Phạt cho mỗi bước bình phương rời trọng số hôm nay.")
        parser.add_argument("--pairwise", action="store_true",
                            help="Khớp theo cặp (hồi quy logistic) thay vì tăng theo tọa độ.")
        parser.add_argument("--directions", type=int, default=0,
                            help="Thử N hướng ngẫu nhiên (hạt giống 0) đổi mọi trọng số cùng "
                                 "lúc, thay vì tăng theo tọa độ.")
        parser.add_argument("--ridge", type=float, default=fit.RIDGE,
                            help="Khớp theo cặp: phạt khoảng cách bình phương (theo bước).")
        parser.add_argument("--pairs", type=int, default=fit.PAIRS,
                            help="Khớp theo cặp: số thủ tục không đúng so với thủ tục đúng.")
        parser.add_argument("--query-weights", action="store_true", dest="with_query",
                            help="Tăng theo tọa độ: khớp cả trọng số của truy vấn (query.py), "
                                 "phân tích lại các truy vấn mỗi lần thử.")
        parser.add_argument("--reach", type=int, default=fit.REACH,
                            help="Số bước tối đa mỗi lần thử một trọng số.")

    def handle(self, *args, files: list[Path], penalty: float, reach: int,
               pairwise: bool, ridge: float, pairs: int,
               with_query: bool, directions: int, **options) -> None:
        parts, queries = {}, {}
        catalog_signature, lexicon_signature = signatures()
        index = current_index(catalog_signature)
        ranking.prepare(index)
        lexicon = current_lexicon(lexicon_signature)
        started = time.perf_counter()
        for path in files:
            if not path.is_file():
                raise CommandError(f"Không tìm thấy tệp {path}.")
            try:
                queries[path.stem] = query_set(path)
                parts[path.stem] = fit.cases(queries[path.stem], index, lexicon)
            except QuerySetError as error:
                raise CommandError(f"{path}: {error}") from None
        self.stdout.write(f"{sum(map(len, parts.values()))} truy vấn phân tích trong "
                          f"{time.perf_counter() - started:.1f} giây.")
        today = ranking.weights()
        for name, found in parts.items():
            self.stdout.write(f"hôm nay, {name}: {fit.measure(index, found, today).row()}")
        fits = [(name, [name]) for name in parts] if len(parts) > 1 else []
        fits.append(("+".join(parts), list(parts)))
        for name, used in fits:
            found = [c for part in used for c in parts[part]]
            items = [item for part in used for item in queries[part]]
            self.stdout.write(f"khớp trên {name}:")
            log = lambda line: self.stdout.write(f"  {line}")  # noqa: E731
            if directions:
                weights, score = fit.directions(index, found, today, penalty=penalty,
                                                count=directions, log=log)
            elif pairwise:
                weights, score = fit.pairwise(index, found, today, penalty=penalty,
                                              ridge=ridge, pairs=pairs, log=log)
            else:
                weights, score = fit.fit(
                    index, found, today, penalty=penalty, reach=reach, log=log,
                    items=items if with_query else None, lexicon=lexicon)
            start = ({**fit.query_weights(), **today} if with_query and not (pairwise or directions)
                     else today)
            self.stdout.write(f"  trọng số đổi: {fit.changed(weights, start) or 'không'}")
            for other, others in parts.items():
                if any(weights[n] != start[n] for n in fit.QUERY_STEPS if n in weights):
                    with fit.analysed_with({n: weights[n] for n in fit.QUERY_STEPS}):
                        others = fit.cases(queries[other], index, lexicon)
                self.stdout.write(f"  → {other}: {fit.measure(index, others, weights).row()}")
