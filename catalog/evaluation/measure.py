"""Top-1 and top-3 of the search on a set of queries with their acceptable procedure codes.

A set is JSON lines, one `{"query": …, "acceptable": [codes]}` a line; `kind` (one of `KINDS`)
is optional and only splits the figures. The project's own set is `dev.jsonl`, `dev2.jsonl` and
`dev3.jsonl` (tuned on) and `test.jsonl` (measured rarely); docs/search.md says how they were
written.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
DEV_SET = HERE / "dev.jsonl"
# Written in the fifth round, from a second draw of development-side procedures (sampling.py).
DEV2_SET = HERE / "dev2.jsonl"
# Written in the fifteenth round, from a third draw (sampling.draw_third), before any search ran.
DEV3_SET = HERE / "dev3.jsonl"
DEV4_SET = HERE / "dev4.jsonl"
TEST_SET = HERE / "test.jsonl"

# Kinds of query in issue #15, in its order.
KINDS = {
    "khong_dau": "không dấu",
    "tu_thuong_dung": "từ thường dùng",
    "cau_nhu_cau": "nhu cầu nói thành câu",
    "ngan": "ngắn, viết tắt",
}


class QuerySetError(ValueError):
    """A line of a query set that is not {"query": str, "acceptable": [str, …]}."""


@dataclass
class Tally:
    queries: int = 0
    top1: int = 0
    top3: int = 0
    empty: int = 0

    def add(self, *, hit1: bool, hit3: bool, empty: bool) -> None:
        self.queries += 1
        self.top1 += hit1
        self.top3 += hit3
        self.empty += empty

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.queries if self.queries else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.queries if self.queries else 0.0


@dataclass
class Miss:
    query: str
    kind: str
    acceptable: list[str]
    found: list[str]
    rank: int | None  # 1-based rank of the first acceptable code in the top 10, if any


@dataclass
class Report:
    total: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The figures, one line per kind and one for all, in Vietnamese."""
        rows = [(KINDS.get(kind, kind), tally) for kind, tally in sorted(
            self.by_kind.items(), key=lambda kv: list(KINDS).index(kv[0])
            if kv[0] in KINDS else len(KINDS))]
        rows.append(("tất cả", self.total))
        return [f"{label:<24} {t.queries:>4} truy vấn  top-1 {t.top1:>4} = {_pct(t.top1_rate)}"
                f"  top-3 {t.top3:>4} = {_pct(t.top3_rate)}  không có kết quả {t.empty}"
                for label, t in rows]


# Two decimals: with one, 207 of 218 (94.954 %) printed as 95.0 %, a target it does not reach.
def _pct(rate: float) -> str:
    return f"{rate * 100:6.2f} %"


def load_queries(lines: Iterable[str]) -> list[dict]:
    """The queries of a JSON-lines set; a bad line raises QuerySetError naming it."""
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise QuerySetError(f"Dòng {number}: không phải JSON ({error.msg}).") from None
        if (not isinstance(item, dict) or not isinstance(item.get("query"), str)
                or not isinstance(item.get("acceptable"), list)
                or not all(isinstance(c, str) for c in item["acceptable"])
                or not item["acceptable"]):
            raise QuerySetError(f"Dòng {number}: cần {{\"query\": chuỗi, \"acceptable\": "
                                "[mã thủ tục, …]}.")
        items.append(item)
    return items


def query_set(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return load_queries(f)


def evaluate(queries: list[dict], search: Callable[[str], list[str]]) -> Report:
    """Run `search` (query → codes, best first) on every query and count top-1 and top-3."""
    report = Report()
    for item in queries:
        found = search(item["query"])[:10]
        acceptable = set(item["acceptable"])
        rank = next((i for i, code in enumerate(found, start=1) if code in acceptable), None)
        hit1, hit3 = rank == 1, rank is not None and rank <= 3
        kind = item.get("kind") or ""
        report.total.add(hit1=hit1, hit3=hit3, empty=not found)
        report.by_kind.setdefault(kind, Tally()).add(hit1=hit1, hit3=hit3, empty=not found)
        if not hit1:
            report.misses.append(Miss(item["query"], kind, item["acceptable"], found, rank))
    if set(report.by_kind) == {""}:
        report.by_kind = {}
    return report
