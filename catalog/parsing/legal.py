"""Parse `can_cu_phap_ly`: the legal documents a procedure rests on, as (title, number) rows.

The portal prints "Tên văn bản pháp lýMã văn bản" and then each row's title and number run
together: "Luật 52/2014/QH1352/2014/QH13Thuế xuất khẩu…107/2016/QH13". A row ends after a
document number that is glued to what follows (the next title) or ends the text; a number
followed by a space or punctuation belongs to a title ("… 121/2021/NĐ-CP ngày …"). A number
column may carry its own prefix glued to the title ("… Chính phủNghị định số 92/2018/NĐ-CP").
"""

import re
from dataclasses import dataclass, field

from catalog.parsing import Issue, clean

FIELD = "can_cu_phap_ly"
HEADER = "Tên văn bản pháp lýMã văn bản"

_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
# 52/2014/QH13, 05/2012/NĐ-CP, 66.7/2025/NQ-CP, 19/2025/QĐ-TTg, 02/2011/TTLT-BCA-BTC. Only the
# National Assembly's "QH13" carries digits, so "QH1352/2014" splits as QH13 + 52/2014; a capital
# followed by a lowercase letter starts the next title ("TT-BTCNghị định" is TT-BTC + Nghị định).
_ISSUER_PART = rf"(?:UBTV)?QH\d{{2}}|TTg|[A-ZĐ]*[A-ZĐ](?![{_LOWER}])"
_ISSUER = rf"(?:{_ISSUER_PART})(?:\s?-(?:{_ISSUER_PART}))*"
_NUMBER = re.compile(rf"(\d+(?:\.\d+)?)/(\d{{4}})/{_ISSUER}|\d+/{_ISSUER}-{_ISSUER}")
_PREFIX = re.compile(r"(?:(?:Luật|Nghị định|Thông tư liên tịch|Thông tư|Nghị quyết|Quyết định|"
                     r"Pháp lệnh|Lệnh|Chỉ thị|Văn bản hợp nhất)\s*)?(?:[Ss]ố\s*:?\s*)?$")


@dataclass
class LegalBasisSpec:
    title: str
    number: str


@dataclass
class LegalResult:
    bases: list[LegalBasisSpec] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def _numbers(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _NUMBER.finditer(text):
        start = m.start()
        serial = m.group(1) or ""
        if len(serial) > 4 and serial.startswith(("19", "20")):
            start += 4  # "năm 2011" + "02/2011/QH13": the year belongs to the title
        spans.append((start, m.end()))
    return spans


def _row_ends(text: str) -> list[tuple[int, int]]:
    """Numbers that end a row: glued to the next title, or at the end of the text."""
    ends = []
    for start, end in _numbers(text):
        nxt = text[end:end + 1]
        if not nxt or not (nxt.isspace() or nxt in ",;:.)("):
            ends.append((start, end))
    return ends


def parse_legal_bases(text: str) -> LegalResult:
    result = LegalResult()
    text = clean(text)
    if not text:
        return result
    if text.startswith(HEADER):
        text = text[len(HEADER):]
    # Rows as [title start, title end, number start, number end] spans into `text`.
    rows: list[list[int]] = []
    cut = 0
    for start, end in _row_ends(text):
        prefix = _PREFIX.search(text, cut, start)
        number_start = start
        if prefix and (prefix.start() == cut or not text[prefix.start() - 1].isspace()):
            number_start = prefix.start()
        title = text[cut:number_start].strip()
        last = rows[-1] if rows else None
        if not title and last and (last[0] == last[1] or text[last[2]:last[3]].endswith(
                text[start:end])):
            # A title ending in the row's own number ("Nghị định 121/2021/NĐ-CP" +
            # "121/2021/NĐ-CP"), or a title that is only a number: one row, not two.
            rows[-1][1] = rows[-1][3]
            rows[-1][2], rows[-1][3] = number_start, end
        else:
            rows.append([cut, number_start, number_start, end])
        cut = end
    for t0, t1, n0, n1 in rows:
        title, number = text[t0:t1].strip(), text[n0:n1].strip()
        result.bases.append(LegalBasisSpec(title=title or number, number=number[:100]))
    tail = text[cut:].strip()
    if tail:
        result.issues.append(Issue(FIELD, tail, "Không nhận ra số, ký hiệu văn bản."))
    return result
