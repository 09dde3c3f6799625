"""What a query asks for: concepts, each with the ways the catalogue may say it.

A query is folded into words (tokens.py). Words that only carry the sentence ("tôi muốn",
"thế nào", "ở đâu") are dropped. The rest becomes concepts, each scored by its best-matching
alternative (ranking.py):

- a phrase the thesaurus knows ("sổ đỏ", "BHXH", "làm lại") is one concept whose alternatives
  are the catalogue's wordings; typed with marks, only if they are the line's ("đối" is not
  "đổi", "vật" is not "VAT"); not where it is typed inside a longer phrase the catalogue uses
  in another sense ("nhận con" of "nhận cha, mẹ, con" inside "nhận con nuôi");
- every other word is a concept, and so is every pair of neighbouring words (the compound),
  also found in a name with a function word between them ("thông tin | về | cư trú");
- in a sentence, the words before "muốn / cần / phải" tell the situation and count less, as do
  the words of a purpose clause after "để";
- a word typed with the Vietnamese input method off ("caaps", "ca61p") is read as the word
  meant ("cap") when the catalogue knows that word and not the one typed (keyboard.py);
- a word or pair the catalogue never uses gets its spelling corrections (one letter added,
  dropped, changed or swapped; two letters swapped in a word of three) that it does use, so
  "thuong chu" still means "thường trú";
- the last word, when the catalogue has no such word, may be unfinished (live search): the
  catalogue's words starting with it are its alternatives.
"""

import re
from collections.abc import Set
from dataclasses import dataclass, field

from catalog.search import keyboard, tokens
from catalog.search.index import Index
from catalog.search.lexicon import Lexicon
from catalog.text import fold

# Words of the sentence around a need, not of the need. Folded; matched as whole phrases so
# that "can" (cần) is dropped in "tôi cần" but kept in "căn cước".
FILLER_PHRASES = [
    "toi muon", "toi can", "toi phai", "toi co", "toi bi", "toi la", "toi vua", "toi dang",
    "toi da", "toi se", "chung toi", "cua toi", "cho toi", "nha toi", "gia dinh toi",
    "minh muon", "minh can", "em muon", "em can", "muon biet", "cho hoi", "xin hoi",
    "nhu the nao", "the nao", "o dau", "lam sao", "lam gi", "phai lam", "can lam",
    "can nhung gi", "can gi", "giay to gi", "thu tuc gi", "bao lau", "bao nhieu", "duoc khong",
    "co duoc", "hay khong", "thi sao", "thu tuc", "lam thu tuc", "huong dan", "tim hieu",
    "thuc hien", "o phuong", "o xa", "di lam", "nen phai", "vay thi", "gio muon", "gio can",
]
FILLER_WORDS = {"toi", "minh", "muon", "gio", "roi", "nhe", "a", "oi", "thi", "nao", "vay",
                "gi", "dang", "vua", "moi", "da", "se", "nen", "phai", "can", "duoc", "hay",
                "nhung", "cac", "mot", "so", "la", "co", "bi", "cua", "cho", "va", "de",
                "voi", "ve", "tu", "o", "nay", "do", "khi", "ma", "thu"}
# Single words above are dropped only when they are not part of a pair the catalogue uses
# ("co" in "cơ quan", "cho" in "chợ" pairs, "so" in "sổ đỏ"): see Analysis.keep().

TYPO_FACTOR = 0.8
PREFIX_FACTOR = 0.7
PREFIX_OPTIONS = 6
TYPO_OPTIONS = 3
# A word of a purpose clause ("… để làm hồ sơ vay mua nhà") counts this much.
PURPOSE_WEIGHT = 0.7
# A pair typed side by side found in a name with a function word between ("thông tin cư trú",
# "thông tin về cư trú"; tokens.SKIPPABLE): nearly the same wording, a little less.
SKIP_FACTOR = 0.8
# The words a sentence says before the one announcing the need ("… bị mất, … nên phải đăng ký
# lại việc khai tử") tell the situation, and count like a purpose clause. The markers count
# only typed with diacritics: without them "muon" may be "muộn" and "can" "căn".
CONTEXT_WEIGHT = 0.7
NEED_MARKERS = {"muốn", "cần", "phải"}
_NEED_FOLDED = {"muon", "can", "phai"}
# The citizen's own everyday word (e.g. "so do") next to the catalogue's wording of it.
EVERYDAY_FACTOR = 0.3
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Alternative:
    words: tuple[str, ...]
    factor: float = 1.0
    # A pair alternative is the one pair `words`; otherwise every word and pair of `words`.
    pair: bool = False

    def terms(self) -> list[str]:
        if self.pair:
            return [" ".join(self.words)]
        return list(self.words) + tokens.pairs(list(self.words))


@dataclass
class Concept:
    typed: tuple[str, ...]
    alternatives: list[Alternative] = field(default_factory=list)
    # thesaurus concept (its words are not scored again one by one)
    phrase: bool = False
    # how much the concept counts (less in a purpose clause)
    weight: float = 1.0


@dataclass
class Analysis:
    typed: list[str]      # every folded word of the query
    words: list[str]      # without the words of the sentence around the need
    concepts: list[Concept]


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(word)
    return out


def _swaps(word: str) -> set[str]:
    out = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    out.discard(word)
    return out


def _corrections(index: Index, word: str) -> list[str]:
    # Short syllables are one letter away from too many others to guess which was meant; in
    # a word of three only two neighbouring letters typed in the wrong order ("cpa", "xni")
    # are read back, a slip of the fingers rather than another word.
    if len(word) < 3 or word.isdigit():
        return []
    edits = _swaps(word) if len(word) == 3 else _edits(word)
    found = [w for w in edits if w in index.vocab]
    return sorted(found, key=lambda w: -index.df(w))[:TYPO_OPTIONS]


# Misspellings that still make a word: Vietnamese spelling mistakes follow pronunciation, and the
# classic ones swap these initials (ch/tr, s/x, d/gi/r/v, l/n, c/k/q) or finals (c/t, n/ng).
# A pair of real words is corrected only by such a swap, so "thuong chu" becomes "thường trú"
# but "vợ sinh" is not turned into "vô tính".
_INITIALS = (("ch", "tr"), ("s", "x"), ("d", "gi"), ("d", "r"), ("gi", "r"), ("d", "v"),
             ("l", "n"), ("c", "k"), ("c", "q"))
_FINALS = (("c", "t"), ("n", "ng"), ("ch", "t"), ("nh", "n"))


def _sound_alikes(word: str) -> set[str]:
    # A function word ("với", "của", "trong", "để"…: tokens.SKIPPABLE) is the most typed kind
    # of word and is typed as meant, not misspelt for a content word: read as a sound-alike,
    # "tiền thuê đất với thuế" became "đất đối" and found "… tiền thuê đất đối với trường hợp
    # …" by a wording the citizen never wrote.
    if word in tokens.SKIPPABLE:
        return set()
    out = set()
    for a, b in _INITIALS:
        for x, y in ((a, b), (b, a)):
            if word.startswith(x):
                out.add(y + word[len(x):])
    for a, b in _FINALS:
        for x, y in ((a, b), (b, a)):
            if word.endswith(x):
                out.add(word[:-len(x)] + y)
    out.discard(word)
    return out


def _pair_corrections(index: Index, a: str, b: str) -> list[tuple[str, str]]:
    # A mistyped word the catalogue does not know may be any one-letter slip; a real word is
    # only suspected of a sound-alike spelling.
    first = _edits(a) if a not in index.vocab else _sound_alikes(a)
    second = _edits(b) if b not in index.vocab else _sound_alikes(b)
    options = [(x, b) for x in first] + [(a, y) for y in second]
    found = [p for p in options if f"{p[0]} {p[1]}" in index.vocab]
    return sorted(found, key=lambda p: -index.df(f"{p[0]} {p[1]}"))[:TYPO_OPTIONS]


def _prefixed(index: Index, word: str) -> list[str]:
    if len(word) < 2:
        return []
    found = [w for w in index.words_starting(word) if w != word]
    return sorted(found, key=lambda w: -index.df(w))[:PREFIX_OPTIONS]


_FILLER_VOCAB = FILLER_WORDS | {w for phrase in FILLER_PHRASES for w in phrase.split()}
# longest first: "làm thủ tục" goes whole, not as "làm" beside a dropped "thủ tục"
_FILLER_SPLIT = [p.split() for p in sorted(FILLER_PHRASES, key=len, reverse=True)]


def _as_meant(words: list[str], index: Index, lexicon: Lexicon) -> list[str]:
    """Each word the catalogue, the thesaurus and the sentence's own words do not know, read
    as typed with the input method off when that reading is a word they know."""
    def known(word: str) -> bool:
        return word in index.vocab or word in lexicon.words or word in _FILLER_VOCAB

    out = []
    for word in words:
        if not known(word):
            word = next((r for r in keyboard.readings(word) if known(r)), word)
        out.append(word)
    return out


def _inside(words: list[str], kept: list[int], i: int, phrase: list[str], index: Index) -> bool:
    """Whether the filler `phrase` at kept[i] is the middle of a longer catalogue wording: the
    word before it and its first word, and its last word and the word after it, are both pairs
    the catalogue uses ("nhà | ở xã | hội" is "nhà ở xã hội", not "nhà … hội")."""
    end = i + len(phrase)
    if i == 0 or end >= len(kept):
        return False
    return (f"{words[kept[i - 1]]} {phrase[0]}" in index.vocab
            and f"{phrase[-1]} {words[kept[end]]}" in index.vocab)


def _lines_typed(words: list[str], marks: list[str | None], lexicon: Lexicon) -> set[int]:
    """The positions of the words of a thesaurus line of two words or more typed as the line
    writes it ("công ty một chủ", "bị rách"): an administrator's line says its small words are
    part of the phrase, so they are not the sentence's filler."""
    found: set[int] = set()
    for i in range(len(words)):
        for n in range(min(lexicon.longest, len(words) - i), 1, -1):
            span = tuple(words[i:i + n])
            if span in lexicon.rewrites and _agrees(lexicon, span, marks[i:i + n]):
                found.update(range(i, i + n))
                break
    return found


def _drop_filler(words: list[str], index: Index, keep: Set[int] = frozenset()) -> list[int]:
    """The positions of the words of `words` that say the need (all of them when none does);
    the positions in `keep` are never dropped."""
    kept = list(range(len(words)))
    present = set(words)
    for p in _FILLER_SPLIT:
        if not present.issuperset(p):
            continue
        i, out = 0, []
        while i < len(kept):
            if ([words[k] for k in kept[i:i + len(p)]] == p
                    and keep.isdisjoint(kept[i:i + len(p)])
                    and not _inside(words, kept, i, p, index)):
                i += len(p)
            else:
                out.append(kept[i])
                i += 1
        kept = out
    out = []
    for i, k in enumerate(kept):
        w = words[k]
        if w in FILLER_WORDS and k not in keep:
            before = i > 0 and f"{words[kept[i - 1]]} {w}" in index.vocab
            after = i + 1 < len(kept) and f"{w} {words[kept[i + 1]]}" in index.vocab
            if not (before or after):
                continue
        out.append(k)
    return out or list(range(len(words)))


def _purpose(query: str, words: list[str], clause_of: list[int]) -> set[int]:
    """Positions in a purpose clause: after "để" (typed so: without diacritics "de" may as well
    be "đề nghị") to the end of its clause. "giấy xác nhận độc thân để làm hồ sơ vay mua nhà":
    what the paper is for is context, not the need."""
    # the folded "de" of the query, in order, and whether each was typed "để"
    typed_de = [w == "để" for w in re.findall(r"\w+", query.lower()) if fold(w) == "de"]
    positions = [i for i, w in enumerate(words) if w == "de"]
    found: set[int] = set()
    if len(typed_de) != len(positions):
        return found
    for i, purpose in zip(positions, typed_de, strict=True):
        if purpose and i > 0:
            found |= {j for j in range(i + 1, len(words)) if clause_of[j] == clause_of[i]}
    return found


def _beneficiary(words: list[str], marks: list[str | None], clause_of: list[int],
                 context: set[int], index: Index) -> set[int]:
    """Positions of whom a sentence's need is for: after "cho" that follows the word announcing
    the need, to the end of its clause ("… muốn nhập khẩu súng săn và đạn cho câu lạc bộ thể
    thao"). Like a purpose clause, it says what the paper is for, not which paper. Only in a
    sentence typed with marks (`context` not empty: "muốn / cần / phải" typed so), and "cho"
    typed without them (not "chợ", "chờ", "chó"); not where the catalogue itself writes "cho"
    with the next word ("cấp thẻ … cho trẻ em", "cho thuê", "cho phép"): there the one it is
    for is what tells procedures apart."""
    if not context:
        return set()
    found: set[int] = set()
    for i in range(max(context) + 2, len(words) - 1):
        if (words[i] == "cho" and marks[i] is None and clause_of[i + 1] == clause_of[i]
                and f"cho {words[i + 1]}" not in index.vocab):
            found |= {j for j in range(i + 1, len(words)) if clause_of[j] == clause_of[i]}
    return found


def _context(query: str, words: list[str]) -> set[int]:
    """Positions before the first word that announces the need ("muốn", "cần", "phải"): what
    a sentence tells first is the situation ("giấy chứng tử của bố tôi bị mất, … nên phải đăng
    ký lại việc khai tử"; "công ty tôi muốn nhập khẩu …")."""
    typed = [w for w in re.findall(r"\w+", query.lower()) if fold(w) in _NEED_FOLDED]
    positions = [i for i, w in enumerate(words) if w in _NEED_FOLDED]
    if len(typed) != len(positions):
        return set()
    for i, form in zip(positions, typed, strict=True):
        if form in NEED_MARKERS:
            return set(range(i))
    return set()


def _yields(words: list[str], i: int, n: int, index: Index, lexicon: Lexicon) -> bool:
    """Whether the thesaurus phrase words[i:i + n] is typed as part of a longer phrase the
    catalogue itself uses (index.Index.fixed: most of the catalogue's procedures that write the
    phrase's edge write it so), the word added not one of the line's wordings: "nhận con nuôi"
    is adoption, not the "nhận cha, mẹ, con" of the line "nhận con"; "thuyền viên" are a
    crew, not the "tàu thuyền" of "thuyền". An everyday phrase yields to the catalogue's longer
    one; the catalogue's own wordings and abbreviations (lexicon.official) do not ("thuế TNCN"
    is still "thu nhập cá nhân"), and neither does a line whose wording goes on the same way
    ("hộ khẩu thường trú" is the line "hộ khẩu → thường trú")."""
    phrase = tuple(words[i:i + n])
    if phrase in lexicon.official:
        return False
    said = {w for wording in lexicon.rewrites[phrase] for w in wording}
    if i + n < len(words) and words[i + n] not in said and index.fixed(
            phrase, words[i + n], after=True):
        return True
    return i > 0 and words[i - 1] not in said and index.fixed(phrase, words[i - 1], after=False)


def _agrees(lexicon: Lexicon, span: tuple[str, ...], marks: list[str | None]) -> bool:
    """Whether the words of `span` typed with marks are written so in the thesaurus line: a
    folded "doi" is "đổi", "đối" or "đội", "vat" is "VAT" or "vật"; typed without marks any
    of them may be meant."""
    variants = lexicon.marked.get(span)
    if not variants or not any(marks):
        return True
    return any(all(m is None or m == v for m, v in zip(marks, variant, strict=False))
               for variant in variants)


def analyse(query: str, index: Index, lexicon: Lexicon, *, live: bool = True) -> Analysis:
    """The concepts of `query`. `live`: the last word may still be being typed."""
    clauses = tokens.clauses(query)
    clause_of = [n for n, clause in enumerate(clauses) for _ in clause]
    typed = _as_meant([w for clause in clauses for w in clause], index, lexicon)
    typed_marks = tokens.marked(query)
    if len(typed_marks) != len(typed):  # never seen; the words as if typed without marks
        typed_marks = [None] * len(typed)
    kept = _drop_filler(typed, index, _lines_typed(typed, typed_marks, lexicon))
    context = _context(query, typed)
    purpose = _purpose(query, typed, clause_of) | _beneficiary(typed, typed_marks, clause_of,
                                                                context, index)
    words = [typed[k] for k in kept]
    marks = [typed_marks[k] for k in kept]
    weight_at = [(PURPOSE_WEIGHT if k in purpose else 1.0)
                 * (CONTEXT_WEIGHT if k in context else 1.0) for k in kept]
    concepts: list[Concept] = []
    spans: list[tuple[int, int]] = []
    # Every thesaurus phrase found, overlapping ones too ("xóa thế chấp" and "thế chấp xe"),
    # the longest at each position; a shorter one inside a longer one is left out, and so is
    # one inside a longer phrase of the catalogue (_yields), with the shorter ones there.
    for i in range(len(words)):
        for n in range(min(lexicon.longest, len(words) - i), 0, -1):
            span = tuple(words[i:i + n])
            if span not in lexicon.rewrites or not _agrees(lexicon, span, marks[i:i + n]):
                continue
            if any(a <= i and i + n <= b for a, b in spans) or _yields(words, i, n, index,
                                                                        lexicon):
                break
            factor = EVERYDAY_FACTOR if span in lexicon.everyday else 1.0
            concept = Concept(typed=span, phrase=True, alternatives=[Alternative(span, factor)],
                              weight=min(weight_at[i:i + n]))
            concept.alternatives += [Alternative(t) for t in lexicon.rewrites[span]]
            concepts.append(concept)
            spans.append((i, i + n))
            break
    _said_once(concepts)
    covered = {j for a, b in spans for j in range(a, b)}
    for j, w in enumerate(words):
        if j in covered:
            continue
        concept = Concept(typed=(w,), alternatives=[Alternative((w,))], weight=weight_at[j])
        if w not in index.vocab:
            concept.alternatives += [Alternative((c,), TYPO_FACTOR)
                                     for c in _corrections(index, w)]
            if live and j == len(words) - 1:
                concept.alternatives += [Alternative((c,), PREFIX_FACTOR)
                                         for c in _prefixed(index, w)]
        concepts.append(concept)
    phrases = [c for c in concepts if c.phrase]
    starting = {a: c for (a, _), c in zip(spans, phrases, strict=True)}
    ending = {b - 1: c for (_, b), c in zip(spans, phrases, strict=True)}
    for j in range(len(words) - 1):
        if any(a <= j < j + 1 < b for a, b in spans):
            continue  # inside one thesaurus phrase: scored by its alternatives
        a, b = words[j], words[j + 1]
        concept = Concept(typed=(a, b), alternatives=[Alternative((a, b), pair=True)],
                          weight=min(weight_at[j], weight_at[j + 1]))
        if f"{a} {b}" not in index.vocab:
            concept.alternatives += [Alternative(p, TYPO_FACTOR, pair=True)
                                     for p in _pair_corrections(index, a, b)]
        if f"{a} _ {b}" in index.vocab:
            concept.alternatives.append(Alternative((a, "_", b), SKIP_FACTOR, pair=True))
        # A pair across the edge of a thesaurus phrase also counts in its catalogue wording:
        # "gộp | văn phòng" is "hợp nhất văn phòng".
        if j in ending:
            concept.alternatives += [Alternative((alt.words[-1], b), pair=True)
                                     for alt in ending[j].alternatives[1:]]
        if j + 1 in starting:
            concept.alternatives += [Alternative((a, alt.words[0]), pair=True)
                                     for alt in starting[j + 1].alternatives[1:]]
        concepts.append(concept)
    return Analysis(typed=typed, words=words, concepts=_distinct(concepts))


def _said_once(phrases: list[Concept]) -> None:
    """Two thesaurus phrases of one query read as the same catalogue wording say it once: in
    "sửa thông tin cư trú bị sai", "sửa" and "bị sai" are both "cải chính", and a name that
    says "cải chính" does not match twice what the citizen asked once. A later phrase keeps
    its other wordings (and all of them if it has no other)."""
    seen: set[tuple[str, ...]] = set()
    for concept in phrases:
        rest = [alt for alt in concept.alternatives[1:] if alt.words not in seen]
        if rest:
            concept.alternatives = [concept.alternatives[0], *rest]
        seen.update(alt.words for alt in concept.alternatives[1:])


def _distinct(concepts: list[Concept]) -> list[Concept]:
    # A sentence may say "ngân hàng" twice; the need is not twice about banks.
    seen: set[tuple[str, ...]] = set()
    kept = []
    for concept in concepts:
        if concept.typed not in seen:
            seen.add(concept.typed)
            kept.append(concept)
    return kept
