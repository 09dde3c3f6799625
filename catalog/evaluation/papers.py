"""How well the paper lists are read into groups, conditions and look-ups (docs/papers.md).

Two figures:

- Coverage, on the whole national file: the share of procedures whose papers were read into at
  least one one-of group (across rows or inside one row), condition or look-up, and the same
  share among the procedures whose list uses the words of alternatives or cases at all.
- Precision and recall on hand-labelled lists (`papers_dev.jsonl`, `papers_test.jsonl`): each
  line names a procedure and, for its first variant, the expected one-of groups (sets of row
  numbers from 1, choices inside a row as a group of one row) and the rows that are conditional.
  The procedures were drawn once (`papers_draw`) and split by code before any rule was tuned; the
  rules are tuned on the development part only.
"""

import gzip
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from catalog.parsing.documents import DocumentSpec
from catalog.parsing.record import parse_record
from catalog.text import fold

HERE = Path(__file__).parent
LABELLED = {"dev": HERE / "papers_dev.jsonl", "test": HERE / "papers_test.jsonl"}
# Words that announce alternatives or cases in a list: a procedure using none has nothing to read.
CUE_WORDS = ("hoac", "mot trong", "truong hop", "doi voi", "neu ", "uy quyen", "khai thac duoc")
DRAW_SEED = 16
# The second draw (issue #16, the generalisation round): the same population, another seed; the
# codes already labelled are left out and each new code goes to its part by `part_of`.
SECOND_DRAW_SEED = 1602


def records(path: str | Path) -> Iterator[dict]:
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    for line in raw.decode("utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def papers_of(record: dict) -> list[DocumentSpec]:
    """The papers of the procedure's first variant (the "Trường hợp chung" the desk sees first)."""
    parsed = parse_record(record)
    return [d for d, _ in parsed.variants[0].documents] if parsed.variants else []


@dataclass
class Coverage:
    procedures: int = 0
    with_cues: int = 0
    with_groups: int = 0
    with_choices: int = 0
    with_conditions: int = 0
    with_lookups: int = 0
    read: int = 0
    read_with_cues: int = 0

    @property
    def share(self) -> float:
        return self.read / self.procedures if self.procedures else 0.0

    @property
    def share_of_cued(self) -> float:
        return self.read_with_cues / self.with_cues if self.with_cues else 0.0


def coverage(items: Iterable[dict]) -> Coverage:
    result = Coverage()
    for record in items:
        docs = papers_of(record)
        result.procedures += 1
        cued = any(w in fold(d.name) for d in docs for w in CUE_WORDS)
        groups = any(d.group for d in docs)
        choices = any(d.choices for d in docs)
        conditions = any(d.condition for d in docs)
        lookups = any(d.lookup for d in docs)
        read = groups or choices or conditions or lookups
        result.with_cues += cued
        result.with_groups += groups
        result.with_choices += choices
        result.with_conditions += conditions
        result.with_lookups += lookups
        result.read += read
        result.read_with_cues += read and cued
    return result


def predicted(docs: list[DocumentSpec]) -> tuple[set[frozenset[int]], set[int]]:
    """(one-of groups as sets of row numbers from 1, conditional rows) as the parser reads them."""
    groups: dict[str, set[int]] = {}
    found: set[frozenset[int]] = set()
    for n, doc in enumerate(docs, start=1):
        if doc.group:
            groups.setdefault(doc.group, set()).add(n)
        if doc.choices:
            found.add(frozenset({n}))
    found |= {frozenset(g) for g in groups.values()}
    return found, {n for n, d in enumerate(docs, start=1) if d.condition}


@dataclass
class Scores:
    lists: int = 0
    groups_found: int = 0
    groups_right: int = 0
    groups_expected: int = 0
    conditions_found: int = 0
    conditions_right: int = 0
    conditions_expected: int = 0
    wrong: list[str] = field(default_factory=list)

    @staticmethod
    def _rate(a: int, b: int) -> float:
        return a / b if b else 0.0

    @property
    def group_precision(self) -> float:
        return self._rate(self.groups_right, self.groups_found)

    @property
    def group_recall(self) -> float:
        return self._rate(self.groups_right, self.groups_expected)

    @property
    def condition_precision(self) -> float:
        return self._rate(self.conditions_right, self.conditions_found)

    @property
    def condition_recall(self) -> float:
        return self._rate(self.conditions_right, self.conditions_expected)


def score(labels: list[dict], by_code: dict[str, dict]) -> Scores:
    result = Scores()
    for label in labels:
        docs = papers_of(by_code[label["code"]])
        groups, conditions = predicted(docs)
        expected_groups = {frozenset(g) for g in label["groups"]}
        expected_conditions = set(label["conditions"])
        result.lists += 1
        result.groups_found += len(groups)
        result.groups_expected += len(expected_groups)
        result.groups_right += len(groups & expected_groups)
        result.conditions_found += len(conditions)
        result.conditions_expected += len(expected_conditions)
        result.conditions_right += len(conditions & expected_conditions)
        for g in groups - expected_groups:
            result.wrong.append(f"{label['code']}: nhóm {sorted(g)} không đúng")
        for g in expected_groups - groups:
            result.wrong.append(f"{label['code']}: thiếu nhóm {sorted(g)}")
        for n in sorted(conditions ^ expected_conditions):
            result.wrong.append(f"{label['code']}: điều kiện dòng {n} "
                                + ("thừa" if n in conditions else "thiếu"))
    return result


def labels(part: str) -> list[dict]:
    path = LABELLED[part]
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def part_of(code: str) -> str:
    """Development or test, decided by the code alone so the split never moves."""
    return "test" if sum(map(ord, code)) % 2 else "dev"


def population(items: Iterable[dict]) -> list[dict]:
    """The lists a draw samples: 2–14 papers, using cue words. Each record is parsed once (the
    parse is most of a draw's time: 2,642 records, several seconds)."""
    found = []
    for record in items:
        docs = papers_of(record)
        if 2 <= len(docs) <= 14 and any(w in fold(d.name) for d in docs for w in CUE_WORDS):
            found.append(record)
    return found


def draw(drawable: list[dict], count: int = 60, *, seed: int = DRAW_SEED,
         exclude: frozenset[str] = frozenset()) -> list[dict]:
    """The procedures to label: drawn at random from `population(records)`; `exclude` (codes
    labelled before) is removed after the draw, so a new seed draws from the same population as
    the first, which a second draw takes as it is instead of parsing every record again."""
    drawn = random.Random(seed).sample(drawable, count)
    return [r for r in drawn if r.get("ma_thu_tuc") not in exclude]
