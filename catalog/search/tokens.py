"""Words of Vietnamese text as the search compares them.

Vietnamese writes one syllable per word-space; a compound such as "hộ khẩu" or "căn cước" is two
syllables whose meaning is only in the pair. So a text becomes its folded syllables (no
diacritics, lower case: citizens often type without them) plus every pair of neighbouring
syllables within a clause, and the pair is what tells "hộ khẩu" from "khẩu trang … hộ gia đình".

- Punctuation that ends a clause (, ; : . brackets, quotes) breaks the pairs; a hyphen or a slash
  inside a word does not ("các-bon", "ô tô/xe máy").
- Small numbers are spelled out, digits and Roman numerals alike, so "1 thành viên" meets
  "một thành viên" and "cấp 2" meets "cấp II".
"""

import re
import unicodedata

from catalog.text import fold

_TOKEN = re.compile(r"[0-9a-z]+|[,;:.()\[\]{}\"“”!?«»…]+")
_BREAK = re.compile(r"[,;:.()\[\]{}\"“”!?«»…]")
NUMBER_WORDS = {
    "1": "mot", "2": "hai", "3": "ba", "4": "bon",
    "i": "mot", "ii": "hai", "iii": "ba", "iv": "bon",
}


# Function words the catalogue's wordings put between the words of a need and a query leaves
# out: "về", "của", "cho", "các", "những", "tại", "trong", "với", "đã", "được", "bị", "để"…
# Not "và" / "hoặc": they join two things ("vợ hoặc chồng"), not the words of one.
SKIPPABLE = {"ve", "cua", "cho", "cac", "nhung", "tai", "trong", "voi", "da", "duoc",
             "bi", "de", "la", "theo", "tu", "den"}


def _word(token: str) -> str:
    if token.isdigit():
        token = token.lstrip("0") or "0"
    return NUMBER_WORDS.get(token, token)


def clauses(text: str, *, lists: bool = False) -> list[list[str]]:
    """The folded words of `text`, grouped by clause. With `lists`, a comma next to a single
    word does not end the clause: "nhận cha, mẹ, con" is one enumeration, and its pairs
    ("cha mẹ", "mẹ con") are the wording a query or a thesaurus line writes without commas."""
    groups: list[list[str]] = [[]]
    commas: list[bool] = []  # commas[i]: groups[i] and groups[i + 1] are split by a lone ","
    for match in _TOKEN.finditer(fold(text)):
        token = match.group()
        if _BREAK.match(token):
            if groups[-1]:
                groups.append([])
                commas.append(token == ",")
            elif commas:
                commas[-1] = False
        else:
            groups[-1].append(_word(token))
    if not groups[-1]:
        groups.pop()
        commas = commas[:len(groups) - 1] if groups else []
    if not lists:
        return groups
    joined = [groups[0]] if groups else []
    for i, group in enumerate(groups[1:]):
        if commas[i] and (len(group) == 1 or len(groups[i]) == 1):
            joined[-1] = joined[-1] + group
        else:
            joined.append(group)
    return joined


def pairs(words: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def skips(words: list[str]) -> list[str]:
    """Pairs of words one word apart, written "a _ b": a query often leaves out the small word
    in the middle of the catalogue's wording ("thông tin cư trú" for "thông tin về cư trú")."""
    return [f"{a} _ {b}" for a, m, b in zip(words, words[1:], words[2:], strict=False)
            if m in SKIPPABLE]


def terms(text: str) -> list[str]:
    """Every word and every neighbouring pair of `text`, repeated as often as they occur."""
    found: list[str] = []
    for words in clauses(text):
        found += words
        found += pairs(words)
    return found


def _fold_char(c: str) -> str:
    return fold(c) if c.strip() else " "


def marked(text: str) -> list[str | None]:
    """For each word of `words(text)`, the word as typed (lower case, with its marks) when it
    was typed with Vietnamese marks, else None: "đổi" says more than "doi", which may be
    "đổi", "đối" or "đội". All None when the text cannot be lined up with its folded words."""
    text = unicodedata.normalize("NFC", text).lower()
    folded = [_fold_char(c) for c in text]
    plain = words(text)
    if any(len(f) != 1 for f in folded):
        return [None] * len(plain)
    out: list[str | None] = []
    for match in _TOKEN.finditer("".join(folded)):
        if _BREAK.match(match.group()):
            continue
        typed = text[match.start():match.end()]
        out.append(typed if typed != match.group() else None)
    return out if len(out) == len(plain) else [None] * len(plain)


def words(text: str) -> list[str]:
    """The folded words of `text`, clauses run together."""
    return [w for group in clauses(text) for w in group]
