"""The shipped thesaurus (catalog/data/thesaurus.json) against the national file: a line is kept
only where the catalogue's names use its official wording (docs/search.md, «Thesaurus»), so that
it can find something; and the vocabulary list it was written from (catalog/evaluation/
vocabulary.py) counts each word once per name."""

import json
from pathlib import Path

import pytest

from catalog.evaluation.vocabulary import document_frequency, names, terms
from catalog.search import tokens
from catalog.tests.conftest import NATIONAL_FILE

THESAURUS = Path(__file__).resolve().parent.parent / "data" / "thesaurus.json"
SIXTH_ROUND = "Từ vựng của danh mục theo cách nói thường ngày (vòng sáu)"


def _occurs(wording: str, clauses: list[str]) -> bool:
    folded = " " + " ".join(tokens.words(wording)) + " "
    return any(folded in clause for clause in clauses)


def test_every_line_of_the_catalogue_vocabulary_finds_a_name():
    if not NATIONAL_FILE.exists():
        pytest.skip(f"Không có tệp dữ liệu quốc gia {NATIONAL_FILE}.")
    clauses = [" " + " ".join(c) + " " for name in names(NATIONAL_FILE)
               for c in tokens.clauses(name)]
    entries = [e for e in json.loads(THESAURUS.read_text(encoding="utf-8"))["entries"]
               if e["note"].startswith(SIXTH_ROUND)]
    assert len(entries) >= 70
    missing = [(e["phrase"], o) for e in entries for o in e["official"]
               if not _occurs(o, clauses)]
    assert missing == []
    # a single syllable folding like a catalogue word is not a line ("bố" is "bộ", "má" "mã")
    assert all(len(tokens.words(e["phrase"])) > 1 or e["kind"] == "abbreviation"
               or not _occurs(e["phrase"], clauses) for e in entries)


def test_the_vocabulary_counts_a_word_once_per_name_and_stops_compounds_at_a_clause():
    counts = document_frequency(["Cấp lại giấy phép, giấy phép con", "Cấp giấy phép"])
    assert counts["giấy phép"] == 2 and counts["cấp"] == 2
    assert "phép giấy" not in terms("Cấp lại giấy phép, giấy phép con")
    assert "lại giấy" in terms("Cấp lại giấy phép, giấy phép con")



PAPER_NAMES = "Tên thường gọi và dạng viết tắt của giấy tờ trong danh mục (vòng mười sáu)"


def test_every_line_of_the_papers_everyday_names_finds_a_name_and_is_no_catalogue_phrase():
    # the sixteenth round's lines (docs/search.md, «Thesaurus»): the everyday names and short
    # forms of the papers the catalogue's names issue ("giấy phép con", "IRC", "nước ngầm" …)
    if not NATIONAL_FILE.exists():
        pytest.skip(f"Không có tệp dữ liệu quốc gia {NATIONAL_FILE}.")
    clauses = [" " + " ".join(c) + " " for name in names(NATIONAL_FILE)
               for c in tokens.clauses(name)]
    entries = json.loads(THESAURUS.read_text(encoding="utf-8"))["entries"]
    lines = [e for e in entries if e["note"].startswith(PAPER_NAMES)]
    assert len(lines) >= 25
    assert [(e["phrase"], o) for e in lines for o in e["official"]
            if not _occurs(o, clauses)] == []
    # the phrase is not what names already write (it would find itself, not the paper: "giấy
    # phép mỏ" folds like "giấy phép mở"), and no phrase of the file is shipped twice
    assert [e["phrase"] for e in lines if _occurs(e["phrase"], clauses)] == []
    folded = [" ".join(tokens.words(e["phrase"])) for e in entries]
    assert len(folded) == len(set(folded))
