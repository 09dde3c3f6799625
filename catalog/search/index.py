"""The ranking index: BM25F weights of every word and word pair of every procedure.

Built from the catalogue when it is imported or edited (`index_rebuild`), stored in the database
(`SearchIndex`) so every worker process loads the same one, and kept in memory by each process
until the catalogue changes (`current_index` compares a signature of the procedure table, one
cheap query per search).

Per procedure the searched text is split in fields weighted as a reader would: the name counts
most, then the subject field and the result (what the citizen gets), then who may apply and who
decides, then the conditions and steps. For a word or pair t of procedure d the stored weight is
BM25F's saturated term frequency

    tf~ = Σ_f boost_f · tf_f(t, d) / (1 − b_f + b_f · len_f(d) / avglen_f)
    w(t, d) = tf~ / (k1 + tf~)

and the query side multiplies it by t's idf (ranking.py). Pairs of the long body text are kept
only when the pair also occurs in some name, field or result: those are the catalogue's
compounds, and the rest would only make the index large.

The index also keeps the catalogue's fixed phrases of three words: "a b c" where most of the
procedures that write "a b" write "a b c" ("nhận con" is nearly always "nhận con nuôi" or "nhận
con riêng"), and likewise where most that write "b c" write "a b c". A thesaurus phrase yields to
them (query.py): typed inside one, its words are the catalogue's own, in the catalogue's sense.

A name that lists cases apart with ";" also keeps each case's words and pairs apart (list_cases),
so that the ranking counts what its best case says of a query, not the words of all its cases;
and its term frequencies are its cases' (a word counted as often as the case that writes it most
does), not their sum.
"""

import bisect
import io
import json
import re
import threading
from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from django.db import connection

from catalog.models import LifeEvent, Procedure, SearchIndex, SearchSynonym
from catalog.search import fusion, tokens

K1 = 0.8
# Part of the catalogue's signature: an index stored by a build of other rules (an upgrade) is
# not current and is rebuilt on the spot, as after a change to the catalogue.
BUILD = "10"
# A name says first what is done to what ("Cấp lại giấy phép lái xe"); the rest narrows it.
HEAD_WORDS = 8
# field: (boost, b)
FIELDS = {
    "name": (8.0, 0.3),
    "qualifier": (8.0, 0.3),  # × QUALIFIER_SHARE
    "field": (1.5, 0.75),
    "result": (2.0, 0.75),
    "people": (0.5, 0.75),
    "body": (0.2, 0.75),
}
# What a name says in brackets ("(thực hiện tại cấp tỉnh)", "(Bộ luật ISPS)", "(khai sinh;
# giám hộ; nhận cha, mẹ, con …)") or after "trừ" ("…, trừ xe mô tô, xe gắn máy") qualifies
# what it names, lists or excludes: its words count this share of the name's boost, so that a
# name is found by what it is about first. The cases a name distinguishes ("… trong trường hợp
# bị mất", "đối với trường hợp …") are what tells its siblings apart and keep the full weight
# (weighed down too they cost a sentence query on development). 0.25–0.75 gave the same
# figures on the two development sets; 0.5 is their middle.
QUALIFIER_SHARE = 0.5
# "trừ" qualifies only a name that already said this many words (a leading "Thủ tục" not
# counted).
QUALIFIED_FROM = 4
_BRACKETS = re.compile(r"\([^()]*\)")
# "khấu trừ", "bù trừ", "miễn trừ" name things; "trừ" alone excludes.
_EXCEPT = re.compile(r"(?<!khấu )(?<!bù )(?<!miễn )\b(?:ngoại trừ|trừ)\b", re.IGNORECASE)
# Names also index their pairs of words one function word apart ("a _ b", tokens.skips).
SKIP_FIELDS = ("name", "qualifier")
# In a name an enumeration of single words ("nhận cha, mẹ, con", "cô, cậu, dì, chú, bác ruột")
# keeps its pairs across the commas (tokens.clauses): the thesaurus and the citizen write it
# without them. In the other fields too it moves nothing on the two development parts.
LIST_FIELDS = ("name", "qualifier")
# A fixed phrase: at least this share of the procedures that write its pair write the phrase,
# and at least FIXED_MIN procedures do (one is a chance juxtaposition, not the catalogue's
# wording). "Most" (0.5): at 0.4 the line "công ty" yields inside "… của công ty" (0.41 of
# the catalogue's "công ty"), a query lost at top-1 on development; at 0.6 "nhận con nuôi"
# (8 of the 14 procedures writing "nhận con") is no longer one. FIXED_MIN 1–3: the same.
FIXED_SHARE = 0.5
FIXED_MIN = 2
# A name that announces or asks for an action says the action after this verb: "Công bố đóng
# khu neo đậu", "Thông báo thay đổi nội dung …", "Đề nghị thu hồi …", "Quyết định đóng cửa mỏ
# …" undo or change as "Xóa …" does (ranking.UNDO, ranking.CHANGE): 43 of the 223 names in
# force that start with such a verb.
ANNOUNCING = {("cong", "bo"), ("thong", "bao"), ("de", "nghi"), ("quyet", "dinh")}
# Words of a name that say nothing about which of two near-duplicate names is meant
# (siblings.py): function words, "thủ tục", and the words that join clauses.
NAME_NEUTRAL = tokens.SKIPPABLE | {"thu", "tuc", "va", "hoac", "doi", "voi"}
_RESULT_CODE = re.compile(r"Mã:\s*[A-Z0-9.]+|Từ khóa|Mô tả|Không có thông tin")


@dataclass
class Index:
    signature: str
    pks: np.ndarray          # int64, procedure primary keys, one per document
    active: np.ndarray       # bool
    prior: np.ndarray        # float32 in [0, 1]: how often the procedure is used
    offsets: np.ndarray      # int64: postings of term i are [offsets[i], offsets[i + 1])
    post_docs: np.ndarray    # int32 document numbers
    post_weights: np.ndarray  # float32 w(t, d)
    name_offsets: np.ndarray  # int64: documents whose name has term i are
    name_docs: np.ndarray     # name_docs[name_offsets[i]:name_offsets[i+1]]
    head_offsets: np.ndarray  # the same for the head of the name: its first HEAD_WORDS words
    head_docs: np.ndarray
    vocab: dict[str, int]
    codes: list[str]
    names: list[str]         # folded name clauses joined by " | "
    # the catalogue's fixed phrases "a b c": most that write "a b" go on with c (continued),
    # most that write "b c" have a before it (preceded)
    continued: frozenset[str] = frozenset()
    preceded: frozenset[str] = frozenset()
    # names that list cases apart with ";": {document: the folded cases, clauses joined " | "}
    name_lists: dict[int, list[str]] = field(default_factory=dict)
    # the two models fused with the score over the candidates (fusion.py, seventeenth round)
    models: fusion.Models | None = None
    # Derived from the fields above when the index is built or read, so that no search pays
    # for them (up to 170 ms of CPU for the first one otherwise). None holds a container per
    # document that the garbage collector must walk: tuples of strings and numbers it stops
    # tracking, numpy arrays it never tracks. 20,000 sets or lists held for the life of a
    # worker made every full collection walk them, and every request paid for it (bench/
    # search.py at 20,000 procedures, docs/search.md).
    # the cases of the name_lists names, numbered: case_docs[k] is the document of case k, and
    # case_postings[t] the cases (in order) whose words and pairs have t (ranking._best_case)
    case_docs: np.ndarray = field(init=False, repr=False)
    case_postings: dict[str, np.ndarray] = field(init=False, repr=False)
    # code → its documents; the vocabulary's single words in order (unfinished words); the
    # first three words of each name's action (first_words); the tie-breaks (tie_breaks)
    by_code: dict[str, tuple[int, ...]] = field(init=False, repr=False)
    single_words: list[str] = field(init=False, repr=False)
    first: list[tuple[str, ...]] = field(init=False, repr=False)
    ties: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False)
    # starts() by set of phrases: the ranking asks for one (ranking.prepare)
    starts_by: dict[frozenset, tuple[dict[tuple[str, ...], int], np.ndarray]] = field(
        init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        docs: list[int] = []
        postings: dict[str, list[int]] = {}
        for d, cases in sorted(self.name_lists.items()):
            for case in cases:
                for term in _clause_terms(case.split(" | ")):
                    postings.setdefault(term, []).append(len(docs))
                docs.append(d)
        self.case_docs = np.array(docs, dtype=np.int64)
        self.case_postings = {t: np.array(k, dtype=np.int64) for t, k in postings.items()}
        by_code: dict[str, list[int]] = {}
        for d, c in enumerate(self.codes):
            by_code.setdefault(c, []).append(d)
        self.by_code = {c: tuple(docs) for c, docs in by_code.items()}
        self.single_words = sorted(t for t in self.vocab if " " not in t)
        self.first = [_action_words(n) for n in self.names]
        ranks = np.empty(self.size, dtype=np.int64)
        ranks[np.array(sorted(range(self.size), key=self.codes.__getitem__),
                       dtype=np.int64)] = np.arange(self.size)
        self.ties = (np.array([len(n) for n in self.names], dtype=np.int64), ranks,
                     np.array([len(n.replace("|", " ").split()) for n in self.names],
                              dtype=np.float64))

    def in_cases(self, term: str) -> np.ndarray | None:
        return self.case_postings.get(term)

    @property
    def size(self) -> int:
        return len(self.pks)

    def docs_of(self, code: str) -> tuple[int, ...]:
        """Document numbers of the versions of procedure `code`."""
        return self.by_code.get(code, ())

    def name_words(self, d: int) -> frozenset[str]:
        """The words of document d's name, NAME_NEUTRAL left out (siblings.py asks for a
        few names a query; a set per document kept would be walked by every collection)."""
        return name_word_sets([self.names[d]])[0]

    def words_starting(self, prefix: str) -> list[str]:
        """The single words of the vocabulary that start with `prefix`."""
        start = bisect.bisect_left(self.single_words, prefix)
        end = bisect.bisect_left(self.single_words, prefix + "{")
        return self.single_words[start:end]

    def first_words(self, d: int) -> tuple[str, ...]:
        """The first three words of the action document d's name says: a leading "Thủ tục"
        left out, and a verb that only announces or asks for the action (ANNOUNCING)."""
        return self.first[d]

    def starts(self, phrases: set[tuple[str, ...]]) -> tuple[dict[tuple[str, ...], int],
                                                            np.ndarray]:
        """({phrase: number}, starts): starts[d] holds the numbers of the phrases (of one, two
        or three words) among `phrases` that document d's name starts with, and of the one its
        last clause is on its own (a name qualified by its action, "… dịch vụ kiểm toán (điều
        chỉnh)"), -1 elsewhere. Computed once per index and set of phrases."""
        key = frozenset(phrases)
        if key not in self.starts_by:
            numbers = {p: i for i, p in enumerate(sorted(key))}
            starts = np.full((self.size, 4), -1, dtype=np.int32)
            for d in range(self.size):
                first = self.first[d]
                for n in (1, 2, 3):
                    number = numbers.get(first[:n])
                    if number is not None:
                        starts[d, n - 1] = number
                clauses = self.names[d].split(" | ")
                if len(clauses) > 1:
                    starts[d, 3] = numbers.get(tuple(clauses[-1].split()), -1)
            self.starts_by[key] = (numbers, starts)
        return self.starts_by[key]

    def tie_breaks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(length of each name, rank of each code, words of each name): equal scores list
        the shorter name (the general procedure) first, then by code."""
        return self.ties

    def fixed(self, phrase: tuple[str, ...], word: str, *, after: bool) -> bool:
        """Whether `phrase` with `word` after it (or before it) is a longer phrase the
        catalogue uses in place of `phrase`: a fixed phrase of three words at their joint, or,
        for a phrase of one word, a pair that most procedures writing the word write."""
        if len(phrase) == 1:
            pair = f"{phrase[0]} {word}" if after else f"{word} {phrase[0]}"
            df = self.df(pair)
            return df >= FIXED_MIN and df >= FIXED_SHARE * self.df(phrase[0])
        if after:
            return f"{phrase[-2]} {phrase[-1]} {word}" in self.continued
        return f"{word} {phrase[0]} {phrase[1]}" in self.preceded

    def df(self, term: str) -> int:
        i = self.vocab.get(term)
        return 0 if i is None else int(self.offsets[i + 1] - self.offsets[i])

    def idf(self, term: str) -> float:
        n, df = self.size, self.df(term)
        return float(np.log1p((n - df + 0.5) / (df + 0.5)))

    def in_names(self, term: str) -> np.ndarray | None:
        i = self.vocab.get(term)
        if i is None:
            return None
        return self.name_docs[self.name_offsets[i]:self.name_offsets[i + 1]]

    def in_heads(self, term: str) -> np.ndarray | None:
        i = self.vocab.get(term)
        if i is None:
            return None
        return self.head_docs[self.head_offsets[i]:self.head_offsets[i + 1]]

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        i = self.vocab.get(term)
        if i is None:
            return None
        start, end = self.offsets[i], self.offsets[i + 1]
        return self.post_docs[start:end], self.post_weights[start:end]


def signatures() -> tuple[str, str]:
    """(catalogue, lexicon): each changes whenever a row of its tables is added, changed or
    deleted. One statement, run before every search; each aggregate is its own scalar subquery
    so that MAX(id) and MAX(updated_at) are read from the end of their indexes (in one SELECT
    beside COUNT(*) both databases scan the whole table for them: 3 ms at 20,000 procedures)."""
    quote = connection.ops.quote_name
    parts = []
    for model, columns in ((Procedure, ("COUNT(*)", "MAX(id)", "MAX(updated_at)")),
                           (SearchSynonym, ("COUNT(*)", "MAX(updated_at)")),
                           (LifeEvent, ("COUNT(*)", "MAX(updated_at)"))):
        table = quote(model._meta.db_table)
        parts += [f"(SELECT {column} FROM {table})" for column in columns]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    text = [str(v) for v in row]
    return ":".join([BUILD, *text[:3]]), ":".join(text[3:])


def catalog_signature() -> str:
    return signatures()[0]


def _action_words(name: str) -> tuple[str, ...]:
    words = name.replace("|", " ").split()
    if words[:2] == ["thu", "tuc"]:
        words = words[2:]
    if tuple(words[:2]) in ANNOUNCING:
        words = words[2:]
    return tuple(words[:3])


def name_word_sets(names: list[str]) -> list[frozenset[str]]:
    """The words of each folded name, NAME_NEUTRAL left out."""
    return [frozenset(n.replace("|", " ").split()) - NAME_NEUTRAL for n in names]


def _clause_terms(clauses: list[str]) -> frozenset[str]:
    groups = [c.split() for c in clauses]
    return frozenset(term for g in groups for term in (*g, *tokens.pairs(g), *tokens.skips(g)))


def _case_texts(main: str) -> list[str]:
    """The cases of a name's main part (name_split) that lists them apart with ";", each with
    what comes before a ":" announcing the list; empty for a name of one case."""
    head, colon, rest = main.partition(":")
    if not colon or ";" not in rest:
        head, rest = "", main
    cases = [c for c in rest.split(";") if tokens.clauses(c)]
    if len(cases) < 2:
        return []
    return [f"{head} . {c}" for c in cases]


def _most_of_cases(texts: list[str]) -> tuple[Counter, Counter]:
    """The words and pairs (tokens.pairs and skips) of a name listing cases, each counted as
    often as the case that writes it most: "Đăng ký thay đổi nội dung đăng ký hợp tác xã …;
    Đăng ký thay đổi nội dung đối với trường hợp hợp tác xã … bị tách …" says "thay đổi nội
    dung" of one procedure, not twice as much as a name of one case; its length stays the
    whole name's."""
    singles: Counter = Counter()
    doubles: Counter = Counter()
    for text in texts:
        groups = tokens.clauses(text, lists=True)
        singles |= Counter(w for g in groups for w in g)
        doubles |= Counter(p for g in groups for p in (*tokens.pairs(g), *tokens.skips(g)))
    return singles, doubles


def list_cases(name: str) -> list[str]:
    """The cases a name lists apart with ";" ("… cha dượng, mẹ kế nhận con riêng …; cô, cậu,
    dì, chú, bác ruột nhận cháu làm con nuôi"), each its folded clauses joined by " | ", what it
    is about and its qualifiers (name_split, not what it excludes); what comes before a ":" that
    announces the list ("… công trình thủy lợi: Nuôi trồng thủy sản; Nổ mìn …") and the
    qualifiers belong to every case. Empty for a name of one case."""
    main, kept, _ = name_split(name)
    notes = " . ".join(kept)
    return [" | ".join(" ".join(g) for g in tokens.clauses(f"{case} . {notes}", lists=True))
            for case in _case_texts(main)]


def _fixed_phrases(pair_df: Counter, triple_df: Counter) -> tuple[frozenset[str],
                                                                  frozenset[str]]:
    """(continued, preceded): the fixed phrases of three words (see the module's docstring),
    from the number of procedures writing each pair and each three words in any field."""
    continued, preceded = set(), set()
    for (a, b, c), n in triple_df.items():
        if n < FIXED_MIN:
            continue
        if n >= FIXED_SHARE * pair_df[a, b]:
            continued.add(f"{a} {b} {c}")
        if n >= FIXED_SHARE * pair_df[b, c]:
            preceded.add(f"{a} {b} {c}")
    return frozenset(continued), frozenset(preceded)


def _result_text(text: str) -> str:
    return _RESULT_CODE.sub(" . ", text or "")


def name_parts(name: str) -> tuple[str, str]:
    """(what the name is about, its qualifiers): the bracketed text, and the rest of the name
    from a "trừ" after at least QUALIFIED_FROM words. A name that is all brackets is all about
    what it says."""
    main, kept, excluded = name_split(name)
    return main, " . ".join([*kept, *excluded])


def name_split(name: str) -> tuple[str, list[str], list[str]]:
    """(what the name is about, its other qualifiers, what it excludes): name_parts with the
    exclusions apart, the rest of the name from "trừ" ("…, trừ xe mô tô, xe gắn máy") and a
    bracket that starts with it ("(trừ cơ sở … giống thủy sản bố mẹ …)")."""
    notes = _BRACKETS.findall(name)
    main = _BRACKETS.sub(" . ", name)
    match = _EXCEPT.search(main)
    said = [w for clause in tokens.clauses(main[:match.start()]) for w in clause] if match else []
    if said[:2] == ["thu", "tuc"]:
        said = said[2:]
    excluded = [n for n in notes if _EXCEPT.match(n[1:].lstrip())]
    kept = [n for n in notes if n not in excluded]
    if len(said) >= QUALIFIED_FROM:
        excluded.append(main[match.start():])
        main = main[:match.start()]
    if not tokens.clauses(main):
        return name, [], []
    return main, kept, excluded


def _qualifier_terms(name: str) -> set[str]:
    """The words and pairs of a name's qualifiers other than what it excludes."""
    groups = tokens.clauses(" . ".join(name_split(name)[1]), lists=True)
    return {term for g in groups for term in (*g, *tokens.pairs(g), *tokens.skips(g))}


def _fields(row: dict) -> dict[str, str]:
    main, qualifier = name_parts(row["name"])
    return {
        "name": main,
        "qualifier": qualifier,
        "field": row["field__name"] or "",
        "result": _result_text(row["result_text"]),
        "people": " . ".join([*(row["applicant_types"] or []), row["competent_authority"],
                              row["implementing_agency"]]),
        "body": row["requirements"] + " . " + row["steps_text"],
    }


def build(prior_of: dict[str, float] | None = None) -> Index:
    """The index of every procedure (in force or not) as the database holds it now."""
    signature = catalog_signature()
    rows = list(Procedure.objects.order_by("pk").values(
        "pk", "code", "is_active", "name", "field__name", "result_text", "applicant_types",
        "competent_authority", "implementing_agency", "requirements", "steps_text"))
    counted: list[dict[str, Counter]] = []
    lengths: dict[str, list[int]] = {f: [] for f in FIELDS}
    head_pairs: set[str] = set()
    names: list[str] = []
    results: list[list[str]] = []
    name_lists: dict[int, list[str]] = {}
    qualified: list[set[str]] = []
    pair_df: Counter = Counter()
    triple_df: Counter = Counter()
    for row in rows:
        per_field = {}
        qualified.append(_qualifier_terms(row["name"]))
        written_pairs: set[tuple[str, str]] = set()
        written_triples: set[tuple[str, str, str]] = set()
        for fname, text in _fields(row).items():
            groups = tokens.clauses(text, lists=fname in LIST_FIELDS)
            for g in groups:
                written_pairs.update(zip(g, g[1:], strict=False))
                written_triples.update(zip(g, g[1:], g[2:], strict=False))
            lengths[fname].append(sum(len(g) for g in groups))
            found: list[str] = [w for g in groups for w in g]
            pair_list = [p for g in groups for p in tokens.pairs(g)]
            if fname in SKIP_FIELDS:
                pair_list += [p for g in groups for p in tokens.skips(g)]
            if fname != "body":
                head_pairs.update(pair_list)
            per_field[fname] = (Counter(found), Counter(pair_list))
            # a name listing cases counts each word as its case does (_most_of_cases)
            listed = _case_texts(text) if fname == "name" else []
            if listed:
                per_field[fname] = _most_of_cases(listed)
            if fname == "name":
                names.append(" | ".join(" ".join(g) for g in tokens.clauses(row["name"])))
                cases = list_cases(row["name"])
                if cases:
                    name_lists[len(names) - 1] = cases
        counted.append(per_field)
        results.append(tokens.words(_result_text(row["result_text"])))
        pair_df.update(written_pairs)
        triple_df.update(written_triples)
    continued, preceded = _fixed_phrases(pair_df, triple_df)
    avg = {f: (sum(v) / len(v) if v and sum(v) else 1.0) for f, v in lengths.items()}
    vocab: dict[str, int] = {}
    term_ids, doc_ids, weights = array("i"), array("i"), array("f")
    name_terms, name_doc_ids = array("i"), array("i")
    head_terms, head_doc_ids = array("i"), array("i")
    for d, per_field in enumerate(counted):
        tf: dict[str, float] = {}
        # The qualifiers are part of the name for the name's coverage (ranking.NAME_COVERAGE),
        # what it excludes is not: "giống thủy sản bố mẹ" is not what a name "… (trừ cơ sở
        # sản xuất giống thủy sản bố mẹ …)" says, though its words weigh in its score.
        singles, doubles = per_field["name"]
        for term in {*singles, *doubles, *qualified[d]}:
            name_terms.append(vocab.setdefault(term, len(vocab)))
            name_doc_ids.append(d)
        for term in _head_terms(names[d]):
            head_terms.append(vocab.setdefault(term, len(vocab)))
            head_doc_ids.append(d)
        for fname, (singles, doubles) in per_field.items():
            boost, b = FIELDS[fname]
            if fname == "qualifier":
                boost *= QUALIFIER_SHARE
            norm = 1 - b + b * lengths[fname][d] / avg[fname]
            for counter, keep_all in ((singles, True), (doubles, fname != "body")):
                for term, n in counter.items():
                    if keep_all or term in head_pairs:
                        tf[term] = tf.get(term, 0.0) + boost * n / norm
        for term, value in tf.items():
            term_ids.append(vocab.setdefault(term, len(vocab)))
            doc_ids.append(d)
            weights.append(value / (K1 + value))
    t = np.frombuffer(term_ids, dtype=np.int32)
    order = np.argsort(t, kind="stable")
    counts = np.bincount(t, minlength=len(vocab))
    offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    name_offsets, name_docs = _grouped(name_terms, name_doc_ids, len(vocab))
    head_offsets, head_docs = _grouped(head_terms, head_doc_ids, len(vocab))
    codes = [r["code"] for r in rows]
    prior = np.array([(prior_of or {}).get(c, 0.0) for c in codes], dtype=np.float32)
    return Index(
        signature=signature,
        pks=np.array([r["pk"] for r in rows], dtype=np.int64),
        active=np.array([r["is_active"] for r in rows], dtype=bool),
        prior=prior,
        offsets=offsets,
        post_docs=np.frombuffer(doc_ids, dtype=np.int32)[order].copy(),
        post_weights=np.frombuffer(weights, dtype=np.float32)[order].copy(),
        name_offsets=name_offsets,
        name_docs=name_docs,
        head_offsets=head_offsets,
        head_docs=head_docs,
        vocab=vocab,
        codes=codes,
        names=names,
        continued=continued,
        preceded=preceded,
        name_lists=name_lists,
        models=fusion.build(names, results),
    )


def _head_terms(name: str) -> set[str]:
    words = name.split(" | ")[0].split()
    if words[:2] == ["thu", "tuc"]:
        words = words[2:]
    words = words[:HEAD_WORDS]
    return set(words) | set(tokens.pairs(words))


def _grouped(terms: array, docs: array, size: int) -> tuple[np.ndarray, np.ndarray]:
    t = np.frombuffer(terms, dtype=np.int32)
    order = np.argsort(t, kind="stable")
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(t, minlength=size), out=offsets[1:])
    return offsets, np.frombuffer(docs, dtype=np.int32)[order].copy()


def dumps(index: Index) -> bytes:
    meta = json.dumps({"vocab": sorted(index.vocab, key=index.vocab.get), "codes": index.codes,
                       "names": index.names, "continued": sorted(index.continued),
                       "preceded": sorted(index.preceded),
                       "name_lists": [[d, cases] for d, cases in index.name_lists.items()],
                       **fusion.vocabularies(index.models)},
                      ensure_ascii=False).encode("utf-8")
    buffer = io.BytesIO()
    np.savez_compressed(buffer, pks=index.pks, active=index.active, prior=index.prior,
                        offsets=index.offsets, post_docs=index.post_docs,
                        post_weights=index.post_weights, name_offsets=index.name_offsets,
                        name_docs=index.name_docs, head_offsets=index.head_offsets,
                        head_docs=index.head_docs, meta=np.frombuffer(meta, dtype=np.uint8),
                        **fusion.arrays(index.models))
    return buffer.getvalue()


def loads(data: bytes, signature: str) -> Index:
    arrays = np.load(io.BytesIO(bytes(data)), allow_pickle=False)
    meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
    return Index(signature=signature, pks=arrays["pks"], active=arrays["active"],
                 prior=arrays["prior"], offsets=arrays["offsets"],
                 post_docs=arrays["post_docs"], post_weights=arrays["post_weights"],
                 name_offsets=arrays["name_offsets"], name_docs=arrays["name_docs"],
                 head_offsets=arrays["head_offsets"], head_docs=arrays["head_docs"],
                 vocab={term: i for i, term in enumerate(meta["vocab"])},
                 codes=meta["codes"], names=meta["names"],
                 continued=frozenset(meta["continued"]), preceded=frozenset(meta["preceded"]),
                 name_lists={d: cases for d, cases in meta["name_lists"]},
                 models=fusion.loaded(arrays, meta))


_lock = threading.Lock()
_current: Index | None = None


def index_forget() -> None:
    """Drop this process's copy of the index: the next search reads the stored one or builds it
    (a database put back under the same catalogue timestamps, as the browser tests do)."""
    global _current
    _current = None


def index_rebuild(prior_of: dict[str, float] | None = None) -> Index:
    """Build the index from the catalogue, store it for every process and use it here."""
    from catalog.search.popularity import procedure_prior

    global _current
    index = build(procedure_prior() if prior_of is None else prior_of)
    SearchIndex.objects.update_or_create(pk=1, defaults={
        "signature": index.signature, "built_at": datetime.now(UTC),
        "documents": index.size, "data": dumps(index)})
    _current = index
    return index


def current_index(signature: str | None = None) -> Index:
    """The index of the catalogue as it is now: this process's copy, the stored one, or a new
    one built on the spot when the catalogue changed since either was built."""
    global _current
    signature = signature or catalog_signature()
    if _current is not None and _current.signature == signature:
        return _current
    with _lock:
        if _current is not None and _current.signature == signature:
            return _current
        stored = SearchIndex.objects.filter(pk=1, signature=signature).first()
        if stored is not None:
            _current = loads(stored.data, signature)
            return _current
        return index_rebuild()
