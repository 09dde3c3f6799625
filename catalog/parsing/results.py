"""Split the run-together result cell (`ket_qua_xu_ly`) and the page text glued to other cells.

The portal prints each result as "<name>Mã: <code>", all glued, then the page's own fields
"Từ khóa<…>Mô tả<…>" and its search widgets ("Chọn cơ quan thực hiện…Nộp hồ sơ")::

    Phiếu Lý lịch tư pháp số 1 (Cấp bộ)Mã: KQ.G01.000197Phiếu … số 2 (Cấp bộ)Mã: KQ.G01.000198
    Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiện…

shown as it came, this read "…(Cấp bộ)Mã: KQ.G01.000197Phiếu…Từ khóaKhông có thông tin…" on the
public page. Here each result becomes one line "<name> (mã <code>)", the keywords and
description a line each when the portal gives one, and the widgets are dropped.
"""

import re
from dataclasses import dataclass, field

from catalog.parsing import NO_INFORMATION, clean

_ITEM = re.compile(r"(?P<name>.*?)\s*Mã:\s*(?P<code>KQ\.[A-Z0-9]+\.\d+)", re.S)
_PAGE_FIELDS = re.compile(r"Từ khóa(?P<keywords>.*?)Mô tả(?P<description>.*?)"
                          r"(?=Chọn cơ quan thực hiện|$)", re.S)
_WIDGETS = "Chọn cơ quan thực hiện"


@dataclass
class ResultsSpec:
    items: list[tuple[str, str]] = field(default_factory=list)
    keywords: str = ""
    description: str = ""

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(code for _, code in self.items if code))

    @property
    def text(self) -> str:
        lines = [f"{name} (mã {code})" if code else name for name, code in self.items]
        if self.keywords:
            lines.append(f"Từ khóa: {self.keywords}")
        if self.description:
            lines.append(f"Mô tả: {self.description}")
        return "\n".join(lines)


def strip_page_tail(text: str) -> str:
    """A cell that swallowed the page's "Từ khóa…Mô tả…" fields and widgets, without them."""
    widgets = text.find(_WIDGETS)
    if widgets >= 0:
        text = text[:widgets]
    page = _PAGE_FIELDS.search(text)
    if page is not None and page.end() >= len(text.rstrip()):
        text = text[:page.start()]
    return clean(text)


def _placeholder(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return "" if text in (NO_INFORMATION, "") else text


def parse_results(text: str | None) -> ResultsSpec:
    text = (text or "").strip()
    widgets = text.find(_WIDGETS)
    if widgets >= 0:
        text = text[:widgets]
    spec = ResultsSpec()
    page = _PAGE_FIELDS.search(text)
    if page is not None:
        spec.keywords = _placeholder(page.group("keywords"))
        spec.description = _placeholder(page.group("description"))
        text = text[:page.start()]
    end = 0
    for m in _ITEM.finditer(text):
        name = re.sub(r"\s+", " ", m.group("name")).strip(" .;")
        spec.items.append((name, m.group("code")))
        end = m.end()
    rest = _placeholder(text[end:]).strip(" .;")
    if rest:
        spec.items.append((rest, ""))
    return spec
