"""Ranking procedures for what a citizen types: the one search behind the public pages, the
counter's picker and `/api/v1/procedures/?q=`.

How it works (docs/search.md has the measured quality):

1. The query is folded like the stored text (no diacritics, lower case, punctuation as spaces),
   common citizen words are rewritten to the catalog's words ("bằng lái" → "giấy phép lái xe",
   "CCCD" → "căn cước") and filler words ("làm", "thủ tục", "ở đâu") are dropped.
2. Strict match: every word must be a whole word of the name or of the body (field, agencies,
   result, conditions, steps); the last word may be a prefix, so a live search finds
   "thường trú" while the citizen is still typing "thuong t".
3. Ranking, the same on both databases: names that start with the typed phrase (a leading
   "Thủ tục" ignored), then names containing the phrase, then names containing every word in any
   order, then procedures where some words are only in the body, fewer of them first. Within a
   tier the shorter name wins: it is the general procedure, longer names are special cases.
4. Typos. On PostgreSQL with pg_trgm, names similar to the typed phrase by trigrams
   (word similarity >= TRIGRAM_THRESHOLD) are offered too, ranked between name matches and
   body-only matches, so "dang ky thuong chu" still finds "Đăng ký thường trú". SQLite has no
   such operator. On both, when nothing matches at all, a relaxed match accepts procedures
   missing one word of three or more.
"""

import re
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Length, StrIndex

from catalog.models import Procedure
from catalog.text import fold_words

# Citizen words → the catalog's words. Whole-word replacements on the folded query, longest
# first so "bang lai xe" wins over "bang lai". Only terms the national catalog actually uses.
SYNONYMS: dict[str, str] = {
    "bang lai xe": "giay phep lai xe",
    "bang lai": "giay phep lai xe",
    "gplx": "giay phep lai xe",
    "chung minh nhan dan": "can cuoc",
    "can cuoc cong dan": "can cuoc",
    "cmnd": "can cuoc",
    "cccd": "can cuoc",
    "passport": "ho chieu",
    "visa": "thi thuc",
    "lltp": "ly lich tu phap",
    "mst": "ma so thue",
    "so do": "giay chung nhan quyen su dung dat",
    "so hong": "giay chung nhan quyen su dung dat",
    "nhap ho khau": "dang ky thuong tru",
    "ho khau": "thuong tru",
    "giay khai sinh": "khai sinh",
    "giay chung tu": "khai tu",
    "xac nhan doc than": "xac nhan tinh trang hon nhan",
    "doc than": "tinh trang hon nhan",
}
# A citizen who names only a paper ("hộ chiếu", "khai tử") wants it issued or registered: names
# starting with these verbs followed by the typed phrase rank right after exact starts.
DEFAULT_ACTIONS = ("cap", "dang ky", "cap the")
# ... and does not want it struck off or withdrawn unless they say so.
UNDO_ACTIONS = ("xoa", "thu hoi", "cham dut", "huy", "dinh chi", "dung", "tam ngung")
# Words citizens add that name no procedure: dropped unless nothing else is left.
FILLER = ("thu tuc", "lam the nao", "nhu the nao", "o dau", "huong dan", "cach", "lam", "xin",
          "muon", "can gi", "toi")

_CODE = re.compile(r"^\d+\.\d{3,}$")
ORDER = ["tier", "undo", "-name_hits", "-pair_hits", "head_length", "name_length", "code"]
# Above this trigram word similarity a name counts as "what the citizen meant" (PostgreSQL).
TRIGRAM_THRESHOLD = 0.5


@dataclass(frozen=True)
class ParsedQuery:
    words: list[str]

    @property
    def phrase(self) -> str:
        return " ".join(self.words)


def _replace_phrases(text: str, table: dict[str, str] | tuple[str, ...]) -> str:
    padded = f" {text} "
    items = table.items() if isinstance(table, dict) else ((k, "") for k in table)
    for phrase, replacement in sorted(items, key=lambda kv: -len(kv[0])):
        padded = padded.replace(f" {phrase} ", f" {replacement} " if replacement else " ")
    return " ".join(padded.split())


def parse_query(query: str) -> ParsedQuery:
    """Folded words to look for, with citizen words rewritten and filler dropped."""
    text = _replace_phrases(fold_words(query), SYNONYMS)
    kept = _replace_phrases(text, FILLER)
    return ParsedQuery(words=[w for w in (kept or text).split() if w != "|"])


def _word(field: str, word: str, *, last: bool) -> Q:
    # The padded column has a space on both sides, so " word " is a whole word; the last typed
    # word may be unfinished and matches as the start of a word.
    return Q(**{f"{field}__contains": f" {word}" if last else f" {word} "})


def _padded(qs: QuerySet[Procedure]) -> QuerySet[Procedure]:
    return qs.annotate(
        name_p=Concat(Value(" "), F("search_text"), Value(" "), output_field=TextField()),
        body_p=Concat(Value(" "), F("search_body"), Value(" "), output_field=TextField()),
    )


def _name_hits(words: list[str]) -> Case | Value:
    hits = Value(0, output_field=IntegerField())
    for i, w in enumerate(words):
        hits = hits + Case(When(_word("name_p", w, last=i == len(words) - 1), then=Value(1)),
                           default=Value(0), output_field=IntegerField())
    return hits


def _starts(phrase: str) -> Q:
    # A leading "Thủ tục" is a habit of some ministries, not part of what the procedure is.
    return Q(name_p__startswith=f" {phrase}") | Q(name_p__startswith=f" thu tuc {phrase}")


def _pair_hits(words: list[str]) -> Case | Value:
    # Neighbouring typed words that are neighbours in the name too: "thuong tru dang ky" keeps
    # "thường trú" and "đăng ký" together, which "trụ sở … thương mại … đăng ký" does not.
    hits = Value(0, output_field=IntegerField())
    for a, b in zip(words, words[1:], strict=False):
        hits = hits + Case(When(name_p__contains=f" {a} {b} ", then=Value(1)),
                           default=Value(0), output_field=IntegerField())
    return hits


def _tier(parsed: ParsedQuery, similar: Q) -> Case:
    words, phrase = parsed.words, parsed.phrase
    default_action = Q(pk__in=[])
    for verb in DEFAULT_ACTIONS:
        default_action |= _starts(f"{verb} {phrase}")
    return Case(
        When(_starts(phrase), then=Value(0)),
        When(default_action, then=Value(1)),
        When(name_p__contains=f" {phrase}", then=Value(2)),
        When(name_hits=len(words), then=Value(3)),
        When(similar, then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )


def _undo(parsed: ParsedQuery) -> Case | Value:
    undo = Q(pk__in=[])
    for verb in UNDO_ACTIONS:
        if f" {verb} " not in f" {parsed.phrase} ":
            undo |= _starts(f"{verb} ")
    return Case(When(undo, then=Value(1)), default=Value(0), output_field=IntegerField())


def _head_length() -> Case:
    # The name up to its first punctuation: "Chứng thực chữ ký trong các giấy tờ, văn bản (…)"
    # is as specific as its first clause.
    return Case(When(search_text__contains=" | ", then=StrIndex("search_text", Value(" | "))),
                default=Length("search_text"), output_field=IntegerField())


@cache
def _has_trigrams() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def procedures_search(qs: QuerySet[Procedure], query: str) -> QuerySet[Procedure]:
    """`qs` narrowed to the procedures matching `query`, best first (see the module docstring).

    A procedure code ("1.004222") finds that code. An empty query changes nothing.
    """
    query = query.strip()
    if _CODE.match(query):
        return qs.filter(code=query).order_by("code", "-version")
    parsed = parse_query(query)
    words = parsed.words
    if not words:
        return qs
    qs = _padded(qs)
    strict = Q()
    for i, w in enumerate(words):
        last = i == len(words) - 1
        strict &= _word("name_p", w, last=last) | _word("body_p", w, last=last)
    ranked = qs.annotate(name_hits=_name_hits(words))
    similar = Q(pk__in=[])
    if _has_trigrams():
        from django.contrib.postgres.search import TrigramWordSimilarity

        # A name close to the typed phrase by trigrams ranks above body-only matches: on
        # PostgreSQL a typo ("thuong chu") still finds the procedure by its name.
        ranked = ranked.annotate(
            similarity=TrigramWordSimilarity(parsed.phrase, "search_text"))
        similar = Q(similarity__gte=TRIGRAM_THRESHOLD)
    ranked = ranked.annotate(
        tier=_tier(parsed, similar), undo=_undo(parsed), pair_hits=_pair_hits(words),
        head_length=_head_length(), name_length=Length("search_text"))
    found = ranked.filter(strict | similar)
    if found.exists():
        return found.order_by(*ORDER)
    return _relaxed(ranked, parsed)


def _relaxed(ranked: QuerySet[Procedure], parsed: ParsedQuery) -> QuerySet[Procedure]:
    """Nothing matched every word: accept one missing word of three or more, and typos."""
    words = parsed.words
    hits = Value(0, output_field=IntegerField())
    for i, w in enumerate(words):
        last = i == len(words) - 1
        hits = hits + Case(When(_word("name_p", w, last=last) | _word("body_p", w, last=last),
                                then=Value(1)), default=Value(0), output_field=IntegerField())
    ranked = ranked.annotate(hits=hits)
    accept = Q(hits__gte=len(words) - 1) if len(words) >= 3 else Q(pk__in=[])
    return ranked.filter(accept).order_by("-hits", *ORDER[1:])
