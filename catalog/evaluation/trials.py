"""What the evaluation commands that try a signal over a grid share (search_topics,
search_everyday): the grid's number lists, the development parts loaded against the current
index, and the cross-check — each part's best trial measured on the other parts (docs/search.md,
thirteenth and fourteenth rounds)."""

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TextIO

from django.core.management.base import CommandError

from catalog.evaluation.measure import QuerySetError, query_set
from catalog.search import ranking
from catalog.search.index import current_index, signatures
from catalog.search.lexicon import current_lexicon


def numbers(text: str, kind: type = float) -> list:
    """A comma-separated list of numbers typed on the command line."""
    try:
        return [kind(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise CommandError(f"Danh sách số không hợp lệ: {text!r}.") from None


def parts_loaded(files: list[Path]):
    """The current index (prepared for ranking), the lexicon and each file's queries by name."""
    catalog_signature, lexicon_signature = signatures()
    index = current_index(catalog_signature)
    ranking.prepare(index)
    lexicon = current_lexicon(lexicon_signature)
    parts = {}
    for path in files:
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            parts[path.stem] = query_set(path)
        except QuerySetError as error:
            raise CommandError(f"{path}: {error}") from None
    return index, lexicon, parts


def cross_check(out: TextIO, scores: dict[str, dict], today: dict, best: Callable,
                label: Callable[[Hashable], str]) -> None:
    """For each part, the trial `best` chooses on it, measured on the other parts."""
    for name in scores:
        chosen = best(scores[name], today[name])
        if chosen is None:
            out.write(f"chọn trên {name}: không tổ hợp nào tăng top-1")
            continue
        others = "; ".join(f"{other} {scores[other][chosen].row()}"
                           for other in scores if other != name)
        out.write(f"chọn trên {name}: {label(chosen)} → {others or 'không còn phần nào'}")
