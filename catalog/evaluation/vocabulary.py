"""The catalogue's own vocabulary, by document frequency: the words and two-word compounds of the
procedure names, each counted once per name, most frequent first. The sixth round's thesaurus
category ("the catalogue's vocabulary in everyday words", docs/search.md) was written from this
list, reading it top down and writing the everyday equivalent of each entry where people say it
differently — not from any query of the evaluation set.

    python -m catalog.evaluation.vocabulary NATIONAL_FILE [--top 400] [--pairs]

Names keep their marks (lower case) so that a reader sees the word, not its folded form; a
bracket or a comma ends a compound, as in the index (`catalog.search.tokens`).
"""

import argparse
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

_CLAUSE = re.compile(r"[,;:.()\[\]{}\"“”!?«»…]")
_WORD = re.compile(r"\w+(?:[-/]\w+)*")


def names(path: Path) -> Iterator[str]:
    """The procedure names of a national-catalogue JSON-lines file (gzip or plain)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)["ten_thu_tuc"]


def terms(name: str) -> set[str]:
    """The words and neighbouring word pairs of a name, lower case with marks, each once."""
    found: set[str] = set()
    for clause in _CLAUSE.split(name.lower()):
        words = _WORD.findall(clause)
        found.update(words)
        found.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return found


def document_frequency(all_names: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for name in all_names:
        counts.update(terms(name))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--top", type=int, default=400)
    parser.add_argument("--pairs", action="store_true", help="only two-word compounds")
    args = parser.parse_args()
    counts = document_frequency(names(args.file))
    shown = [(t, n) for t, n in counts.most_common() if not args.pairs or " " in t]
    for term, n in shown[:args.top]:
        print(f"{n}\t{term}")


if __name__ == "__main__":
    main()
