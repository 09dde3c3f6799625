"""Text helpers shared by the catalog importer and search."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Vietnamese tone and vowel marks all decompose into this block (acute, grave, hook, tilde,
# dot below, circumflex, breve, horn).
_MARKS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lowercase, without Vietnamese diacritics, whitespace collapsed: "Hộ  chiếu" -> "ho chieu".

    Search compares folded strings so that citizens typing without diacritics (common on phones
    and in search boxes) still find "hộ chiếu". Đ/đ is a separate letter, not a d with a combining
    mark, so NFD leaves it alone and it is mapped by hand.
    """
    text = text.replace("đ", "d").replace("Đ", "d")
    bare = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return _SPACES.sub(" ", bare.lower()).strip()



_PUNCT_RUN = re.compile(r"[^0-9a-z]+")
# Abbreviations the national catalog and citizens both use; spelled out on both sides so that
# "thuế TNCN" and "thuế thu nhập cá nhân" find each other.
ABBREVIATIONS = {
    "gtgt": "gia tri gia tang",
    "tncn": "thu nhap ca nhan",
    "tndn": "thu nhap doanh nghiep",
    "bhxh": "bao hiem xa hoi",
    "bhyt": "bao hiem y te",
    "gcn": "giay chung nhan",
}


def fold_words(text: str) -> str:
    """`fold`, punctuation turned into the separator "|", abbreviations spelled out.

    "Cấp lại, đổi sổ BHXH" -> "cap lai | doi so bao hiem xa hoi". Search matches whole words by
    the spaces around them, so a comma or a bracket must not glue itself to a word; the "|" it
    leaves keeps a typed phrase from matching across two parts of a name.
    """
    words = []
    for token in fold(text).split():
        core = _PUNCT_RUN.split(token)
        for i, part in enumerate(core):
            if i and words and words[-1] != "|":
                words.append("|")
            if part:
                words.append(ABBREVIATIONS.get(part, part))
    while words and words[-1] == "|":
        words.pop()
    while words and words[0] == "|":
        words.pop(0)
    return " ".join(words)
