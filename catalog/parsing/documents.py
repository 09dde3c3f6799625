"""Parse `thanh_phan_ho_so`: the papers an applicant hands in, grouped under headings.

The portal prints one table per group, run together::

    <heading>Tên giấy tờMẫu đơn, tờ khaiSố lượng<name><template file?><n bản chính[,m bản sao]>...

The count cell ends every row, so rows are cut after it. It is told apart from the same words
in a name ("nộp 01 bản chính tờ khai") by two marks of the generated cell: its number is never
zero-padded after a space or a bracket, and it is never followed by a lowercase word. A number
glued to the end of a name ("Mẫu số 181 bản chính") keeps only its last digit as the count: the
portal's counts are single digits. The text after the last row of a table is the heading of the
next table. How the rows relate (one-of groups, the case a paper is needed in, data looked up
instead) is read by `catalog.parsing.papers`; alternatives inside one row ("Thẻ Căn cước hoặc
Hộ chiếu") stay one paper.
"""

import re
from dataclasses import dataclass, field

from catalog.models import RequiredDocument
from catalog.parsing import Issue
from catalog.parsing.papers import papers_read
from catalog.text import fold

FIELD = "thanh_phan_ho_so"
TABLE_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

_COUNT = re.compile(r"(\d+) bản chính(?:,(\d+) bản sao)?")
_TEMPLATE_URL = re.compile(r"https?://\S+?\.(?:docx|doc|pdf|xlsx|xls)(?![a-z])", re.IGNORECASE)
_FILE_EXT = re.compile(r"\.(?:docx|doc|pdf|xlsx|xls|rar|zip)", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-+*•–\uf0b7\uf0fc\uf0d8\uf0a7\s]+|\(?[a-zđ]\)\s*|\(?[ivx]+\)\s*"
                     r"|\(?\d+(?:\.\d+)*[.)/]\s+|\(\d+\)\s*)")
OPTIONAL_MARK = re.compile(r"\(\s*nếu\s+có\s*\)", re.IGNORECASE)
# Headings that name a case: the papers under them are needed only in that case.
_CASE_WORDS = ("truong hop", "doi voi", "neu ")
_ENUMERATED = re.compile(r"^\s*(?:\(?[a-zđ]\)|\(?[ivx]+\)|\(?\d+(?:\.\d+)*[.)]|\(\d+(?:\.\d+)*\))")
_EMPTY_HEADINGS = {"", "--", "-"}


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    copy_kind: str
    count: int
    template_name: str = ""
    optional: bool = False
    template_url: str = ""
    # How the paper relates to the others (catalog.parsing.papers): its one-of group within the
    # list, the case it is needed in, where the agency looks its data up instead.
    group: str = ""
    condition: str = ""
    lookup: str = ""
    choices: tuple[str, ...] = ()


@dataclass
class DocumentSection:
    heading: str
    is_case: bool
    documents: list[DocumentSpec] = field(default_factory=list)
    # Rows with no paper to hand in ("0 bản chính" and no copy): notes shown to applicants.
    notes: list[str] = field(default_factory=list)


@dataclass
class DocumentsResult:
    sections: list[DocumentSection] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # The cell held a table (or was empty) and every row of it was read.
    parsed: bool = True

    @property
    def documents(self) -> list[DocumentSpec]:
        return [d for s in self.sections for d in s.documents]


def _is_count_cell(text: str, m: re.Match) -> bool:
    digits = m.group(1)
    before = text[m.start() - 1] if m.start() else ""
    if digits.startswith("0") and len(digits) > 1 and before in ("", " ", "\t", "\n", "(", ":"):
        return False  # "nộp 01 bản chính": prose, the generated cell is never zero-padded
    after = text[m.end():m.end() + 2]
    return not (after[:1] == " " and after[1:2].islower())


def _count_cells(text: str) -> list[re.Match]:
    return [m for m in _COUNT.finditer(text) if _is_count_cell(text, m)]


# How template file names start: "Mẫu số 01.docx", "Phụ lục I.docx", "TK01.doc", and the same
# with Vietnamese letters lost on upload ("MuTkhaixaK.docx", "Mus13-PhlcIII.docx").
_TEMPLATE_START = re.compile(
    r"M(?:ẫu|au|ẪU|AU|u(?=[A-Z0-9s]))|mẫu|mau|Phụ lục|PHỤ LỤC|Phu ?luc|Phuluc|Phlc|Biểu mẫu"
    r"|(?:PL|BM|TK)[\s\d_.-]|Tờ khai|To khai|Đơn|Don|DON|Form|Phiếu")


_FILE_NAME_LIMIT = 160


def _glue_points(text: str, start: int = 1) -> list[int]:
    """Where a template file name may start: where it is glued to the end of the name."""
    points = []
    for i in range(max(start, 1), len(text)):
        prev, cur = text[i - 1], text[i]
        if prev.isspace() or not cur.isalnum():
            continue
        nxt = text[i + 1:i + 2]
        after_sentence = prev in ";:)" or (prev == "." and not text[i - 2:i - 1].isdigit()
                                            and not cur.isdigit())
        capital_glued = cur.isupper() and (prev.islower() or prev.isdigit()
                                           or (prev.isupper() and nxt.islower()))
        if after_sentence or capital_glued:
            points.append(i)
    return points


def _looks_like_file_name(text: str) -> bool:
    return (len(text) <= _FILE_NAME_LIMIT and len(text.split()) <= 16
            and not re.search(r"[.;:,] \S", _FILE_EXT.sub("", text)))


def _file_start(text: str) -> int | None:
    """Start of the file name that ends `text`, or None when it cannot be told from the name."""
    ext_start = list(_FILE_EXT.finditer(text))[-1].start()
    points = [p for p in _glue_points(text, len(text) - _FILE_NAME_LIMIT)
              if p < ext_start and _looks_like_file_name(text[p:])]
    for p in reversed(points):
        if _TEMPLATE_START.match(text, p):
            return p
    for p in reversed(points):
        if text[p - 1] in ";:).":
            return p
    return points[0] if points else None


# Where a file name starts when it is glued on without a capital the rules above can see, by
# strength: right after ";" or "," ("…01/01/2026;Mau 3. Don khai bao.docx"), after a "." that does
# not sit between two digits ("…Nghị định 52/2024.Mẫu số 15.docx", "theo mẫu.1.004286.docx"),
# a lowercase letter glued to a capital or a digit ("nhập khẩuMau 03 TS…", "quy định1.7. Quyet…"),
# a number glued to a capitalised word ("2026Mau don…"), or a letter glued to a template word
# ("thay thếmẫu 84.docx", "quy địnhvăn bản đề nghị.docx").
_GLUED_WORDS = re.compile(r"(?:mẫu|mau|văn bản|van ban|đơn |don |tờ khai|to khai|phụ lục|phu luc)",
                          re.IGNORECASE)
_GLUED_TAIL_LIMIT = 200


def _glued_file_start(text: str) -> int | None:
    """Start of a file name glued to the end of `text` (before its extension), or None."""
    ext_start = list(_FILE_EXT.finditer(text))[-1].start()
    lowest = max(12, ext_start - _GLUED_TAIL_LIMIT)
    after_semicolon, after_dot, glued = [], [], []
    for i in range(lowest, ext_start):
        prev, cur = text[i - 1], text[i]
        if cur.isspace() or prev.isspace():
            continue
        if prev in ";,":
            after_semicolon.append(i)
        elif prev == "." and cur.isalnum() and not (text[i - 2].isdigit() and cur.isdigit()):
            after_dot.append(i)
        elif (prev.isalpha() and prev.islower() and (cur.isupper() or cur.isdigit())
              and not text[i - 2].isdigit()) or (
                prev.isdigit() and cur.isupper() and text[i + 1:i + 2].islower()) or (
                prev.isalpha() and _GLUED_WORDS.match(text, i)):
            glued.append(i)
    for found in (after_semicolon, after_dot, glued):
        if found:
            return found[-1]
    return None


def split_template(segment: str) -> tuple[str, str]:
    """("name", "template files") from "<name><file.docx>[<file2.docx>…]"."""
    files: list[str] = []
    rest = segment
    while (ends := list(_FILE_EXT.finditer(rest))) and ends[-1].end() == len(rest):
        head_end = ends[-2].end() if len(ends) > 1 else 0
        start = _file_start(rest[head_end:])
        if start is None and not files:
            start = _glued_file_start(rest[head_end:])
        if start is None:
            if head_end and rest[:head_end].strip():
                # Several files glued together: the earlier ones end where this one starts.
                files.insert(0, rest[head_end:])
                rest = rest[:head_end]
                continue
            break
        files.insert(0, rest[head_end + start:])
        rest = rest[:head_end + start]
    if not files:
        return segment, ""
    return rest, "; ".join(f.strip() for f in files)


def clean_name(text: str) -> str:
    text = text.strip()
    while (m := _BULLET.match(text)) and m.end() > 0:
        text = text[m.end():]
    return text.strip().rstrip(";,").strip()


def copy_kind_of(originals: int, copies: int, name: str) -> str:
    """The cell gives original and copy counts; the name may say the copy must be certified."""
    folded = fold(name)
    certified = re.search(r"ban sao (co )?chung thuc|ban sao duoc chung thuc", folded)
    if originals and copies:
        return RequiredDocument.CopyKind.ORIGINAL_OR_COPY
    if copies:
        return (RequiredDocument.CopyKind.CERTIFIED_COPY if certified
                else RequiredDocument.CopyKind.COPY)
    if folded.startswith("ban chinh hoac ban sao"):
        return RequiredDocument.CopyKind.ORIGINAL_OR_COPY
    if certified and folded.startswith(("ban sao", "01 ban sao")):
        return RequiredDocument.CopyKind.CERTIFIED_COPY
    return RequiredDocument.CopyKind.ORIGINAL


def is_case_heading(heading: str) -> bool:
    folded = fold(heading).lstrip("-+*• ")
    return (any(w in folded for w in _CASE_WORDS) or folded.startswith(("doi voi", "neu"))
            or bool(_ENUMERATED.match(heading)))


def _section(heading: str, body: str, issues: list[Issue]) -> tuple[DocumentSection, str]:
    """One table: its rows, and the trailing text (the next table's heading)."""
    heading = heading.strip()
    section = DocumentSection(heading="" if heading in _EMPTY_HEADINGS else heading.rstrip(":"),
                              is_case=heading not in _EMPTY_HEADINGS and is_case_heading(heading))
    start = 0
    for m in _count_cells(body):
        digits = m.group(1)
        originals = int(digits[-1])
        # A number glued to the name ("theo Mẫu số 18" + "1 bản chính") keeps its other digits.
        segment = body[start:m.start() + len(digits) - 1]
        copies = int(m.group(2) or 0)
        start = m.end()
        segment = segment.strip()
        url = _TEMPLATE_URL.search(segment)
        template_url = ""
        if url:
            # "… theo mẫu tại địa chỉ: http://…/form.doc": the catalogue gives the file itself.
            template_url = url.group(0)
            segment = (segment[:url.start()].rstrip(" :") + segment[url.end():]).strip()
        raw_name, template = split_template(segment)
        name = clean_name(raw_name)
        if not name:
            issues.append(Issue(FIELD, body[max(0, m.start() - 40):m.end()],
                                "Dòng giấy tờ không có tên."))
            continue
        if not originals and not copies:
            section.notes.append(name)
            continue
        section.documents.append(DocumentSpec(
            name=name[:2000], copy_kind=copy_kind_of(originals, copies, name),
            count=max(originals, copies), template_name=template[:255],
            template_url=template_url[:500],
            optional=bool(OPTIONAL_MARK.search(name)),
        ))
    return section, body[start:]


def parse_documents(text: str, *, context: str = "") -> DocumentsResult:
    """The papers of a list; `context` (the procedure's other text) helps read look-ups."""
    result = DocumentsResult()
    text = (text or "").strip()
    if text in _EMPTY_HEADINGS:
        return result
    parts = text.split(TABLE_HEADER)
    if len(parts) == 1:
        result.parsed = False
        result.issues.append(Issue(FIELD, text, "Không thấy bảng thành phần hồ sơ."))
        return result
    heading = parts[0]
    for body in parts[1:]:
        section, heading = _section(heading, body, result.issues)
        if section.documents or section.notes or section.heading:
            result.sections.append(section)
    if heading.strip() and heading.strip() not in _EMPTY_HEADINGS:
        result.issues.append(Issue(FIELD, heading, "Đoạn cuối không có cột số lượng bản."))
    result.parsed = not result.issues
    papers_read(result.sections, context=context)
    return result
