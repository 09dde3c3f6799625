"""Words typed with the Vietnamese input method switched off, read as the words meant.

Vietnamese is typed on a Latin keyboard through an input method that turns keys into marks.
When it is off (a borrowed phone, a public computer, a browser that lost it) the keys stay in
the text, in one of the two common schemes:

- Telex: a doubled vowel is the circumflex (aa = â, ee = ê, oo = ô), w the horn or breve
  (aw = ă, ow = ơ, uw = ư, a lone w = ư), dd = đ, and the tone is a letter typed after the
  vowel: s sắc, f huyền, r hỏi, x ngã, j nặng (z clears it). "xin caaps hoj chieeus".
- VNI: digits after the vowel: 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng, 6 circumflex, 7 horn,
  8 breve, and d9 = đ. "xin ca61p ho65 chie61u".

Search compares words without diacritics (tokens.py), so reading such a word only needs the
keys that made marks taken out: "caaps" → "cap", "ca61p" → "cap". A Vietnamese syllable never
ends in s, f, r, x, j or z and never holds w, dd or a doubled a/e, so the keys are told apart
from letters by where they stand. The query side (query.py) reads a word this way only when the
catalogue does not know it as typed and does know the word read: "gplx" or "b2" stay as they are.
"""

_VOWELS = frozenset("aeiouy")
# Telex tone keys: after the syllable's first vowel they can only be a tone.
_TONE_KEYS = frozenset("sfrxjz")
_DOUBLED = (("aa", "a"), ("ee", "e"), ("oo", "o"))


def telex(word: str) -> str:
    """`word` with the keys of Telex marks taken out ("chieeus" → "chieu", "dduwowngf" →
    "duong"); a word without such keys comes back unchanged."""
    if not word.isalpha() or not word.isascii():
        return word
    if word.startswith("dd"):
        word = word[1:]
    out: list[str] = []
    after_vowel = False
    for ch in word:
        if ch in _TONE_KEYS and after_vowel:
            continue
        if ch == "w":
            # the horn or breve on the vowel just typed, or a lone w standing for ư
            if not (out and out[-1] in "aou"):
                out.append("u")
            after_vowel = True
            continue
        if ch in _VOWELS:
            after_vowel = True
        out.append(ch)
    read = "".join(out)
    for doubled, single in _DOUBLED:
        read = read.replace(doubled, single)
    return read


def vni(word: str) -> str:
    """`word` with the digits of VNI marks taken out ("chie61u" → "chieu", "d9a6t5" → "dat",
    "viet65" → "viet"); a word whose digits cannot be marks comes back unchanged, so "b2" or
    "2024" stays."""
    if not word.isascii() or not word[:1].isalpha() or word.isalpha():
        return word
    letters: list[str] = []
    vowel = False
    for ch in word:
        if ch.isdigit():
            # a mark is typed after its vowel (at once or at the end of the word); d9 is đ
            if ch == "0" or not (vowel or (ch == "9" and letters[-1:] == ["d"])):
                return word
            continue
        vowel = vowel or ch in _VOWELS
        letters.append(ch)
    return "".join(letters)


def readings(word: str) -> list[str]:
    """The ways `word` may have been meant if typed with the input method off, most likely
    first, without `word` itself."""
    found = []
    for read in (vni(word), telex(word)):
        if read and read != word and read not in found:
            found.append(read)
    return found
