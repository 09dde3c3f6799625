"""Read how the papers of one list relate: alternatives, cases, and data the state looks up.

The catalogue's "Trường hợp chung" prints every paper as a row of one table, so a list such as

    Tờ khai … (Dùng cho cá nhân trong trường hợp ủy quyền …), Mẫu số 02/2025/LLTP
    Tờ khai … điện tử tương tác (Dùng cho … trường hợp ủy quyền …), Mẫu số 05/2025/LLTP
    Văn bản ủy quyền …

reads as three mandatory papers when the law asks for one form (paper or electronic) and the
authorisation only when someone files for another person. The one-stop decree (Decree
118/2025/NĐ-CP, which replaced Decree 61/2018/NĐ-CP) forbids asking for papers outside the
published list (domain.md §3), and Decree 45/2020/NĐ-CP with Decree 104/2022/NĐ-CP (no more
household-book copies) has the agency reuse data the state holds instead of asking for it
(domain.md §10). This module reads, with general rules over the text of each row (no rule names
a procedure):

- One-of groups (`group`): rows that are the same paper in other forms (same name once the
  form number, "điện tử", "điện tử tương tác", "bản giấy" are taken out); a row ending in
  "hoặc" with the row after it, a row starting with "Hoặc" with the row before; every paper of a
  table whose heading says "một trong các …"; the rows after a row that announces "một trong
  các giấy tờ sau:"; the paper form for filing in person with the online form of its table.
- Choices inside one row (`choices`): "Bản sao Thẻ Căn cước hoặc Hộ chiếu", "một trong các
  giấy tờ sau: A; B; C", "Hộ chiếu/Thẻ căn cước", "A. Nếu không có A thì nộp B", "A đối với X; B
  đối với Y": one paper, any of the named ones satisfies it.
- Conditional papers (`condition`): a row that starts "Trường hợp X thì …", "Đối với X: …",
  "Nếu X thì …", a row with a bracket "(trường hợp X)", "(đối với X)", "(nếu X)", "(dùng cho …
  trong trường hợp X)", a row that says "… trong trường hợp X" or "… đối với trường hợp X",
  "… đối với X thuộc diện …", "Người … là … thì phải có …", "(nộp lần đầu)", and an
  authorisation ("Văn bản ủy quyền", "Giấy ủy quyền"), which is needed only when someone files
  for another person. A clause about the form of a copy ("trường hợp nộp bản chụp thì xuất
  trình bản chính") is not a condition of the paper, nor a case of a form number, of the last
  alternative, of an item in a list of contents or in a later sentence (docs/papers.md).
- Looked-up papers (`lookup`): a row that says it is needed only when the agency cannot look
  its data up ("trường hợp không khai thác được thông tin …", "không phải nộp … khai thác được
  …", "đã có trong Cơ sở dữ liệu … thì …"); the population database when the text names it
  (dân cư, cư trú, căn cước), earlier results in the data store otherwise. An identity card copy
  is looked up in the population database when the procedure's own text names that database.
"""

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from catalog.text import fold as _fold_text

if TYPE_CHECKING:
    from catalog.parsing.documents import DocumentSection, DocumentSpec

LOOKUP_POPULATION = "population"
LOOKUP_RESULTS = "results"
CONDITION_LIMIT = 300
# What the rules read of a row: the paper and its conditions are named at its start; the rest of
# a long row is explanation (some rows run to thousands of characters).
READ_LIMIT = 600
AUTHORISATION_CONDITION = "Trường hợp ủy quyền cho người khác nộp hồ sơ"

_I = re.IGNORECASE
# "Trường hợp X thì Y", "Đối với X: Y", "Nếu X thì Y" at the start of a row.
_LEADING = re.compile(r"^\s*((?:Trong\s+)?(?:Các\s+)?(?:trường hợp|đối với|nếu)\s+.{3,300}?)"
                      r"(?:\s+thì\s+|\s*:\s*|\s+(?=phải\s+(?:nộp|có|kèm|bổ sung|xuất trình)\b)"
                      r"|\s*,\s+(?=[a-zđàáảãạăâêôơư]*\s*(?:nộp|phải|cần|"
                      r"có|kèm|bổ sung|bản|giấy|văn bản|hồ sơ|tờ khai)))", _I)
# "(trường hợp X)", "(đối với X)", "(nếu X)", "(dùng cho … trường hợp X)", "(áp dụng đối với X)".
_BRACKET = re.compile(r"\([^()]{0,150}?((?:trong\s+)?(?:các\s+)?(?:trường hợp|đối với|nếu)\s"
                      r"[^()]{3,300}?)\)", _I)
# "… trong trường hợp X", "… đối với trường hợp X" inside a row, up to the end of its clause.
_TRAILING = re.compile(r"\s((?:trong|đối với)\s+(?:các\s+)?trường hợp\s+[^();:]{3,300}?)"
                       r"(?:[.;:(]|,\s+trừ\b|$)", _I)
# "… đối với phương tiện thuộc diện đăng kiểm", "… đối với hàng hóa phải có giấy phép", "… đối
# với ngân hàng … là công ty cổ phần": a class of applicant or object named by what sets it apart
# ("thuộc diện", "phải có", "là"); a bare scope ("Tờ khai … đối với hộ kinh doanh") is no case.
_SCOPED = re.compile(r"\s(đối với\s+(?!(?:các\s+)?trường hợp)(?:[^\s,;:()]+\s+){1,6}?"
                     r"(?:không\s+)?(?:thuộc diện|thuộc đối tượng|phải có|là)\s[^();:.]{2,200}?)"
                     r"(?:[.;:(]|,\s|$)", _I)
# "Đương sự có khó khăn về kinh tế … thì phải có xác nhận …", "Người nước ngoài là … phải nộp
# …": a row that starts by saying who must hand the paper in.
_WHO_MUST = re.compile(r"^\s*((?:đương sự|người|tổ chức|cá nhân|doanh nghiệp|hộ gia đình|chủ)"
                       r"(?:\s+(?!phải\b)[^\s]+){0,3}?\s+(?:là|có|bị|thuộc|không có|chưa có)\s"
                       r".{3,200}?)\s+(?:thì\s+)?phải\s", _I)
# "… của cổ đông đăng ký chào bán là tổ chức", "… của nhà đầu tư là tổ chức góp vốn".
_WHOSE = re.compile(r"\scủa\s+((?:[^\s,;:()]+\s+){1,5}?là\s+(?:tổ chức|cá nhân|pháp nhân|"
                    r"doanh nghiệp|người nước ngoài)\b"
                    r"(?:(?!\s(?:về|thông qua|để|theo|trong đó|trừ)\s)[^,;:.()]){0,80})", _I)
_REPRESENTATIVE_BEFORE = re.compile(r"\b(?:dai dien|nguoi)(?: theo (?:phap luat|uy quyen))?\s*$")
# "(nộp lần đầu)": the paper is asked once, with the first filing.
_FIRST_FILING = re.compile(r"(\((?:nộp\s+)?(?:hồ sơ\s+)?lần đầu\))", _I)
FIRST_FILING_CONDITION = "Nộp hồ sơ lần đầu"
# A clause about how a copy is shown, not about whether the paper is needed.
_COPY_FORM = re.compile(r"ban chinh|ban sao|ban chup|doi chieu|chung thuc|nop ban|xuat trinh"
                        r"|^neu co$|ban dich|hop phap hoa")
# An exemption ("Trường hợp X thì không cần …") is for the desk to judge, not a condition.
_EXEMPTION = re.compile(r"\b(?:khong (?:can|phai)|mien|tru truong hop)\b")
_AUTHORISATION = re.compile(r"^(?:ban sao\s+|ban chinh\s+)?(?:van ban|giay|hop dong|"
                            r"giay to)\s+uy quyen\b")

_LOOKUP = re.compile(
    r"khong (?:the )?khai thac duoc|chua (?:co|duoc cap nhat) (?:thong tin )?trong co so du lieu"
    r"|khong phai nop[^.]{0,200}khai thac duoc|da co (?:thong tin )?trong co so du lieu"
    r"|thay the bang (?:du lieu|thong tin)|khong yeu cau (?:nop|xuat trinh)[^.]{0,120}"
    r"(?:co so du lieu|khai thac)")
_POPULATION_WORDS = re.compile(r"dan cu|cu tru|can cuoc|dinh danh")
_ID_CARD = re.compile(r"^(?:ban sao\s+|ban chup\s+|ban chinh\s+)?(?:cua\s+)?(?:the\s+)?"
                      r"(?:can cuoc|chung minh nhan dan|cmnd|cccd|so ho khau|giay xac nhan "
                      r"thong tin (?:ve )?cu tru)\b")
_POPULATION_DATABASE = re.compile(r"(?:cơ\s+sở\s+dữ\s+liệu|CSDL)\s*quốc\s+gia\s+về\s+dân\s+cư"
                                  r"|CSDLQG\s+về\s+dân\s+cư", _I)

# What is taken out of a row's name before comparing it with the others of its table: the form
# number and the medium, so that the paper and electronic forms of one declaration match.
_FORM_REFS = re.compile(r"(?:theo\s+)?mau(?: so)?\s*[0-9a-z][0-9a-z/._-]*|phu luc\s+[0-9ivxlc]+"
                        r"|dien tu tuong tac|\(?ban giay\)?|dien tu|truc tuyen|\.(?:docx?|pdf)")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_ONE_OF = re.compile(r"\bmot trong (?:cac|nhung|so)?\s*(?:loai )?(?:giay to|van ban|tai lieu|"
                     r"ho so|loai|ban|sau)")
_OR_END = re.compile(r"[;,.]?\s*hoặc\s*[.;:]?\s*$", _I)
_OR_START = re.compile(r"^\s*hoặc\b", _I)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """`catalog.text.fold`, remembered: each row is folded by several rules."""
    return _fold_text(text)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _trim(condition: str) -> str:
    condition = re.sub(r"\s+", " ", condition).strip(" ,;:.")
    if len(condition) > CONDITION_LIMIT:
        condition = condition[:CONDITION_LIMIT].rsplit(" ", 1)[0] + "…"
    return condition[:1].upper() + condition[1:]


def _usable(condition: str) -> bool:
    folded = fold(condition)
    return bool(folded) and not _COPY_FORM.search(folded) and not _EXEMPTION.search(folded)


# What comes right before a case that makes it a case of something else than the paper: "trừ"
# (an exemption), a form number ("theo Mẫu 01a áp dụng đối với trường hợp …": which form, not
# whether the paper), a bracket right after the last alternative of "hoặc" ("Quyết định của A
# hoặc B (trong trường hợp …)": when B may sign; the decision is needed anyway).
_EXEMPT_BEFORE = re.compile(r"\btrừ\s*\(?\s*$", _I)  # not folded: "cư trú" folds alike
_FORM_BEFORE = re.compile(r"\bmau(?: so)?\s*[0-9a-z][0-9a-z/._-]*(?:\s*,\s*mau(?: so)?\s*"
                          r"[0-9a-z][0-9a-z/._-]*)*\s*(?:ap dung)?\s*\(?\s*$")
_OR_BEFORE = re.compile(r"\bhoac(?:\s+[^\s]+){1,8}\s*\(?\s*$")
# A list of what the paper holds has begun ("… gồm: …", "Các tài liệu chứng minh: …"): a case
# further on qualifies one item of the list, not the paper.
_CONTENTS_BEGUN = re.compile(r"\b(?:gom|sau|sau day|cu the|nhu sau|chung minh|cac noi dung)\s*:")


_SENTENCE_START = re.compile(r"[.!?]\s+(\w)")


def _sentence_after(name: str, end: int) -> str:
    """The rest of the sentence after a case, folded (an exemption there is about the case),
    up to "trừ": "… đối với X, trừ trường hợp Y" still needs the paper in case X."""
    sentence = re.split(r"[.;]\s|[.;]$", name[end:end + 80], maxsplit=1)[0]
    return fold(re.split(r"\btrừ\b", sentence, maxsplit=1, flags=_I)[0])


def _about_the_paper(name: str, m: re.Match, start: int) -> bool:
    """Whether the case found at `start` says when the paper is needed, not something else."""
    before = fold(name[max(0, start - 80):start])
    bracketed = m.group(0).startswith("(")
    if _EXEMPT_BEFORE.search(name[max(0, start - 20):start]) or _FORM_BEFORE.search(before) \
            or (bracketed and _OR_BEFORE.search(fold(name[max(0, m.start() - 80):m.start()]))):
        return False
    if _CONTENTS_BEGUN.search(fold(name[:start])):
        return False
    # A case in a later sentence says what the paper must hold or how it is shown in that case
    # ("… Trong trường hợp X, bản giải trình phải bao gồm …"); the paper's own case is in its
    # first sentence.
    if any(m2.group(1).isupper() for m2 in _SENTENCE_START.finditer(name[:start + 1])):
        return False
    # "(đối với cảng liên doanh … thì Kế hoạch … phải được dịch …)": the bracket says what to
    # do in the case, and that is about a translation, not about handing the paper in.
    return not (bracketed and re.search(r"\bthi\b", fold(m.group(1))))


def condition_of(name: str) -> str:
    """The case in which the paper is needed, as the row says it, or "" for every applicant."""
    if case_choices(name):
        return ""  # a paper for each case: everyone hands in one of them
    name = _nfc(name[:READ_LIMIT * 2])
    for pattern in (_LEADING, _WHO_MUST, _BRACKET, _TRAILING, _SCOPED, _WHOSE, _FIRST_FILING):
        for m in pattern.finditer(name):
            after = _sentence_after(name, m.end(1))
            if not _usable(m.group(1)) or _EXEMPTION.search(after):
                continue
            if pattern is _FIRST_FILING:
                return FIRST_FILING_CONDITION
            if pattern is _WHOSE:
                # "… người đại diện theo pháp luật của chủ sở hữu là tổ chức ký": whose
                # representative signs, not whose paper it is.
                if _about_the_paper(name, m, m.start(1)) and not _REPRESENTATIVE_BEFORE.search(
                        fold(name[max(0, m.start() - 60):m.start()])):
                    return _trim("Đối với " + m.group(1))
                continue
            if pattern in (_LEADING, _WHO_MUST) or _about_the_paper(name, m, m.start(1)):
                return _trim(m.group(1))
    if _AUTHORISATION.match(fold(name)):
        return AUTHORISATION_CONDITION
    return ""


def lookup_of(name: str, *, names_population_database: bool = False) -> str:
    """Where the agency looks the paper's data up instead of asking for it, or ""."""
    folded = fold(name[:READ_LIMIT * 2])
    if _LOOKUP.search(folded):
        return LOOKUP_POPULATION if _POPULATION_WORDS.search(folded) else LOOKUP_RESULTS
    if names_population_database and _ID_CARD.match(folded):
        return LOOKUP_POPULATION
    return ""


@lru_cache(maxsize=8192)
def stem_of(name: str) -> str:
    """The name without form numbers and medium, to tell the same paper in two forms."""
    folded = _FORM_REFS.sub(" ", fold(name[:READ_LIMIT]))
    return _NON_WORD.sub(" ", folded).strip()


_CHOICE_SPLIT = re.compile(r"\s+hoặc\s+|\s*;\s*", _I)
_ONE_OF_LEAD = re.compile(r"^(.*?)\bmột trong (?:các|những|số)?\s*(?:loại\s+)?"
                          r"(?:giấy tờ|văn bản|tài liệu)?\s*(?:sau(?: đây)?)?\s*:\s*", _I)
_COPY_PREFIX = re.compile(r"^(?:[0-9]{1,2}\s+(?=\S))?(?:(?:01\s+)?(?:bản chính|bản sao chụp|"
                          r"bản sao|bản chụp|bản gốc|bản điện tử)"
                          r"(?:\s+(?:có|được)?\s*chứng thực|\s+điện tử|\s+hợp lệ)?"
                          r"(?:\s+(?:hoặc|và)\s+)?)*"
                          r"(?:\s*(?:của|từ)\s+)?", _I)
# How the name of a paper starts, once "Bản sao" and the like are taken off.
_PAPER_NOUN = re.compile(r"^(?:giay|the |ho chieu|van ban|quyet dinh|so (?!huu)|bang\b|chung chi|"
                         r"chung nhan|hop dong|to khai|don |bien ban|can cuoc|chung minh|"
                         r"trich luc|phieu|cong van|thong bao|xac nhan|ban an|ban sao|ban chinh|"
                         r"bao cao|danh sach|hoa don|chung tu|giay to|tai lieu|ho so|ban |"
                         r"nghi quyet|bien lai|van don|van tai don|dang ky |phuong an|de an|"
                         r"ke hoach|chung thu|so do|ban ve|ban do|y kien\b)")
# Words before a paper's name that count it, not name it: "các quyết định …", "những văn bản …".
_COUNTING = re.compile(r"^(?:cac|nhung|mot so|moi)\s+")
# Where a choice's name ends and its explanation begins ("… đối với phương tiện …", "… để cơ
# quan … kiểm tra", ", trừ trường hợp …"): the part is read up to there.
_CLAUSE_END = re.compile(r"\s+(?:đối với|để|trừ trường hợp|theo quy định|có xác nhận|"
                         r"có giá trị)\s|,\s", _I)


# "Đối với trường hợp … thì doanh nghiệp phải nộp thêm đơn … hoặc văn bản …", "Đương sự … thì
# phải có xác nhận … hoặc xác nhận …": the papers offered come after the case.
_AFTER_CASE = re.compile(r"^.{3,300}?\sthì\s+(?:[^\s]+\s+){0,4}?(?:phải\s+)?(?:nộp|có|kèm theo|"
                         r"bổ sung|xuất trình)(?:\s+thêm)?\s+", _I)
# "Bản sao Giấy chứng nhận kết hôn. Nếu không có bản sao Giấy chứng nhận kết hôn thì nộp bản sao
# hồ sơ, giấy tờ …": the second sentence names what may be handed in instead.
_FALLBACK = re.compile(r"[.;]\s+(?:nếu|trường hợp)\s+không\s+(?:có|còn)\s+[^.;]{3,150}?\s+thì\s+"
                       r"(?:phải\s+)?(?:nộp|xuất trình|cung cấp)\s+([^.;]{3,200})", _I)
# "; hoặc" joins two whole papers, each of which may use "hoặc" inside its own name.
_OR_AFTER_SEMICOLON = re.compile(r"\s*;\s*hoặc\s+", _I)
# "… đối với X; … đối với Y", "A (đối với X); B (đối với Y)": each paper for its own case.
_OWN_CASE = re.compile(r"\b(?:đối với|trường hợp)\b", _I)
# "Hợp đồng bảo đảm hoặc hợp đồng bảo đảm có công chứng": one paper, in a certified form.
_CERTIFIED_FORM = re.compile(r"^(?:co|duoc)\s+(?:cong chung|chung thuc)")


def _join_issuer(parts: list[str], part: str) -> bool:
    """"Giấy xác nhận của A hoặc của B": the part names another issuer of the paper before it;
    it goes back into that paper ("Giấy xác nhận của A hoặc của B" is one choice)."""
    if parts and re.match(r"(?:của|do)\s", part, _I):
        parts[-1] = f"{parts[-1]} hoặc {part}"
        return True
    return False


def _slashed(part: str) -> list[str]:
    """"Hộ chiếu/Thẻ căn cước/Căn cước điện tử": choices joined by "/", when every piece names
    a paper ("Mẫu số 02/2025/LLTP" or "giao đất/cho thuê đất" stay whole)."""
    pieces = [p.strip() for p in part.split("/")]
    if len(pieces) < 2 or not all(_PAPER_NOUN.match(fold(p)) for p in pieces):
        return [part]
    return pieces


def case_choices(name: str) -> list[str]:
    """The papers of a row that names a paper for each case ("Bản sao … chứng minh nhân dân …
    đối với nhà đầu tư là cá nhân; quyết định thành lập … đối với nhà đầu tư là tổ chức"), or [].

    Such a row is needed of everyone, in the form that fits the applicant: a choice, not a case.
    """
    text = _nfc(name[:READ_LIMIT])
    text = re.split(r"\.\s|\.$", text, maxsplit=1)[0]
    segments = [p.strip(" ,;:.-+•*") for p in re.split(r"\s*;\s*", text)]
    segments = [p for p in segments if p]
    if len(segments) < 2 or not all(_OWN_CASE.search(p) for p in segments):
        return []
    parts = []
    for segment in segments:
        bare = _COPY_PREFIX.sub("", segment).strip()
        bare = re.split(r"\s*\(|\s+(?:(?:trong|đối với)\s+)?(?:các\s+)?trường hợp\s|\s+đối với\s",
                        bare, maxsplit=1, flags=_I)[0].strip()
        if not bare or not _PAPER_NOUN.match(_COUNTING.sub("", fold(bare))):
            return []
        parts.append(bare[:1].upper() + bare[1:])
    # The same paper named twice is asked of two people, not offered for two cases.
    return parts if len({fold(p) for p in parts}) == len(parts) else []


def _elliptic(first: str, part: str) -> str:
    """“Biên bản nghiệm thu giai đoạn hoặc nghiệm thu hoàn thành”: the second choice leaves out
    the head noun the first names; it is given back ("Biên bản nghiệm thu hoàn thành"), or ""
    when the part does not continue the first one that way."""
    words, folded = first.split(), [fold(w) for w in first.split()]
    lead = fold(part).split()[:1]
    if not lead:
        return ""
    # Only right after the head noun (one or two words: "Biên bản", "Giấy phép"): further in,
    # "hoặc" joins the first paper's own parts ("Quyết định … kèm theo thiết kế A hoặc thiết
    # kế B" is one decision).
    for k in range(1, min(len(words), 3)):
        if folded[k] == lead[0]:
            return " ".join(words[:k]) + " " + part
    return ""


def choices_of(name: str) -> list[str]:
    """The papers a row offers in its place ("Thẻ Căn cước hoặc Hộ chiếu"), or [] for one paper.

    Only the first sentence outside brackets is read; every part must name a paper, so "bản
    chính hoặc bản sao" (the form of one paper) or a clause joined by "hoặc" is not split.
    """
    by_case = case_choices(name)
    if by_case:
        return by_case
    text = _nfc(name[:READ_LIMIT])
    text = re.sub(r"\([^()]*\)", " ", text)
    fallback = _FALLBACK.search(text)
    if fallback:
        # The first sentence names the paper, the next what stands in for it.
        first = _COPY_PREFIX.sub("", text[:fallback.start()].strip(" ,;:.-+•*")).strip()
        other = _COPY_PREFIX.sub("", fallback.group(1).strip(" ,;:.-+•*")).strip()
        if not re.search(r"[.;]\s", first) and _PAPER_NOUN.match(fold(first)) \
                and _PAPER_NOUN.match(fold(other)):
            return [first[:1].upper() + first[1:], other[:1].upper() + other[1:]]
    text = re.split(r"\.\s|\.$", text, maxsplit=1)[0]
    after_case = _AFTER_CASE.match(text)
    if after_case:
        text = text[after_case.end():]
    lead = _ONE_OF_LEAD.match(text)
    if lead:
        text = text[lead.end():]
    else:
        text = text.split(":", 1)[0]  # "Hợp đồng ủy thác: 01 bản chụp …" names one paper
    whole = _OR_AFTER_SEMICOLON.split(text)
    if len(whole) >= 2:
        # Papers joined by "; hoặc" are read whole; "hoặc" inside one of them stays inside.
        named = [_COPY_PREFIX.sub("", w.strip(" ,;:.-+•*")).strip() for w in whole]
        if all(_PAPER_NOUN.match(fold(w)) for w in named):
            return [w[:1].upper() + w[1:] for w in named]
        return []
    parts: list[str] = []
    for part in _CHOICE_SPLIT.split(text):
        part = re.sub(r"\s+", " ", part).strip(" ,;:.-+•*")
        if _join_issuer(parts, part):
            continue
        if parts and _CERTIFIED_FORM.match(fold(part[len(parts[-1]):].strip())) \
                and fold(part).startswith(fold(parts[-1])):
            return []  # the same paper, certified: a form, not a choice
        bare = _COPY_PREFIX.sub("", part).strip()
        if not bare:
            continue
        if len(bare) > 200:
            bare = _CLAUSE_END.split(bare, maxsplit=1)[0].strip()
        named = _COUNTING.sub("", fold(bare))
        if not _PAPER_NOUN.match(named) and parts and not lead:
            bare = _elliptic(parts[0], bare)
            named = fold(bare)
        if not bare or not _PAPER_NOUN.match(named) or len(bare) > 200:
            return []
        parts.extend(p[:1].upper() + p[1:] for p in _slashed(bare))
    if not lead and ";" in text:
        return []  # a list joined by ";" without "một trong" is several papers, not a choice
    return parts if len(parts) >= 2 else []


# The channel a form is for: "(… nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực
# tiếp)" on the paper form, "trực tuyến" or an interactive electronic form ("Mẫu … điện tử tương
# tác", filled in on the portal) for the online one.
_FORM_ROW = re.compile(r"^(?:to khai|mau|don|phieu)\b")
_IN_PERSON = re.compile(r"\bneu\b[^()]{0,120}\btruc tiep\b")
_ONLINE = re.compile(r"\bneu\b[^()]{0,120}\btruc tuyen\b|\bdien tu tuong tac\b")
ONLINE_CONDITION = "Nếu nộp hồ sơ trực tuyến"
IN_PERSON_CONDITION = "Nếu nộp hồ sơ trực tiếp"


def channel_of(name: str) -> str:
    """"online" or "in_person" for a form that says which channel it is for, "" otherwise."""
    folded = fold(name[:READ_LIMIT])
    if not _FORM_ROW.match(folded):
        return ""
    if _IN_PERSON.search(folded) and not _ONLINE.search(folded):
        return "in_person"
    if _ONLINE.search(folded) and not _IN_PERSON.search(folded):
        return "online"
    return ""


def _channel_pair(docs: list["DocumentSpec"]) -> list[int]:
    """The paper form for filing in person and the form for filing online, in one table: the
    applicant fills in the one of the channel chosen (a one-of group), or [] if the table does
    not have exactly one paper form and one online form."""
    channels = [channel_of(d.name) for d in docs]
    in_person = [i for i, c in enumerate(channels) if c == "in_person"]
    online = [i for i, c in enumerate(channels) if c == "online"]
    if len(in_person) == 1 and len(online) == 1:
        return sorted(in_person + online)
    return []


def _groups(section: "DocumentSection") -> list[list[int]]:
    """Indexes of the rows of one table that are alternatives of each other."""
    docs = section.documents
    if len(docs) >= 2 and _ONE_OF.search(fold(section.heading)):
        return [list(range(len(docs)))]
    links: dict[int, int] = {}  # union-find over the rows

    def root(i: int) -> int:
        while links.get(i, i) != i:
            i = links[i]
        return i

    def join(i: int, j: int) -> None:
        links[root(j)] = root(i)

    by_stem: dict[str, int] = {}
    for i, doc in enumerate(docs):
        stem = stem_of(doc.name)
        if len(stem) >= 10:
            if stem in by_stem:
                join(by_stem[stem], i)
            else:
                by_stem[stem] = i
        if i and _OR_END.search(_nfc(docs[i - 1].name)):
            join(i - 1, i)
        if i and _OR_START.match(_nfc(doc.name)):
            join(i - 1, i)
    pair = _channel_pair(docs)
    if pair:
        join(pair[0], pair[1])
    # "Một trong các giấy tờ sau:" announces the rows after it, up to the end of the table.
    for i, doc in enumerate(docs):
        if i + 2 < len(docs) and doc.name.rstrip().endswith(":") \
                and _ONE_OF.search(fold(doc.name)):
            for j in range(i + 1, len(docs)):
                join(i + 1, j)
            break
    groups: dict[int, list[int]] = {}
    for i in range(len(docs)):
        groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if len(g) >= 2]


def _names_population(text: str) -> bool:
    # "dân cư" first: the full pattern over every long steps text costs more than the rest.
    return "dân cư" in text and bool(_POPULATION_DATABASE.search(_nfc(text)))


def papers_read(sections: list["DocumentSection"], *, context: str = "") -> None:
    """Mark groups, conditions and look-ups on the papers of `sections`, in place.

    `context` is the rest of the procedure's text (requirements, steps): an identity card copy
    is looked up only when the procedure itself names the population database.
    """
    names_population = _names_population(context) or any(
        _names_population(d.name) or _names_population(s.heading)
        for s in sections for d in s.documents)
    number = 0
    for section in sections:
        docs: list[DocumentSpec] = list(section.documents)
        for indexes in _groups(section):
            number += 1
            for i in indexes:
                docs[i] = replace(docs[i], group=f"g{number}")
        pair = _channel_pair(docs)
        for i, doc in enumerate(docs):
            condition = condition_of(doc.name)
            if i in pair and not condition:
                # The online form of a channel pair is needed only online, even when its row
                # does not say so ("Mẫu hộ tịch điện tử tương tác …").
                condition = (ONLINE_CONDITION if channel_of(doc.name) == "online"
                             else IN_PERSON_CONDITION)
            docs[i] = replace(doc, condition=condition,
                              choices=tuple(choices_of(doc.name)),
                              lookup=lookup_of(doc.name,
                                               names_population_database=names_population))
        section.documents = docs
