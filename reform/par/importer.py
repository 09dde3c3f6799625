"""Import a PAR Index criteria set from a YAML or an Excel file (format: docs/reform.md, "The
criteria file").

Both files are read into the same structure (the YAML's: a header and areas → criteria → sub)
and checked by one validation, `criteria_validate`. Every problem is collected with its place
("lĩnh vực 2 › tiêu chí 2.1", or "dòng 7, mã 2.1" for an Excel row) and reported together; the
set is written in one transaction only when the file has none, so a bad file leaves nothing
half-imported.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from dossiers.uploads import UploadRejected, upload_check
from motcua.errors import DomainError
from reform.models import ParAnswerKind, ParCriteriaSet, ParCriterion, ParLevel
from reform.par.criteria_xlsx import is_xlsx, xlsx_data
from reform.par.live import live_choices

MAX_FILE_BYTES = 2 * 1024 * 1024
# The criteria set the software ships for departments (the demo's, and the format's example).
SHIPPED_DEPARTMENT_SET = Path(__file__).resolve().parents[1] / "data" / "par_department_2026.yaml"


class CriteriaImportError(DomainError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            "criteria_file_invalid",
            _("Tệp bộ tiêu chí có lỗi, chưa nhập gì: ") + "; ".join(problems),
            "The criteria file has errors; nothing was imported: " + "; ".join(problems),
            fields={"file": problems})
        self.problems = problems


@dataclass
class _Node:
    code: str
    title: str
    depth: int
    max_points: Decimal
    rule: str = ""
    evidence: str = ""
    answer_kind: str = ""
    scale: list = field(default_factory=list)
    live_metric: str = ""
    children: list["_Node"] = field(default_factory=list)


_CHILD_KEYS = ("criteria", "sub")  # an area's children, a criterion's children
_WHAT = {0: "lĩnh vực", 1: "tiêu chí", 2: "tiêu chí thành phần"}


def _dec(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


# The columns a code and the set's name and decision go to (ParCriterion.code, ParCriteriaSet
# .name and .decision): a longer value made PostgreSQL refuse the whole import (a 500).
CODE_MAX_LENGTH = ParCriterion._meta.get_field("code").max_length
TEXT_MAX_LENGTH = ParCriteriaSet._meta.get_field("name").max_length


def _parse_node(raw: Any, depth: int, where: str, problems: list[str],
                codes: set[str]) -> _Node | None:
    if not isinstance(raw, dict):
        problems.append(_("%(w)s: phải là một mục có code, title") % {"w": where})
        return None
    code = str(raw.get("code") or "").strip()
    if raw.get("_row"):  # an Excel row: its number is the place the officer looks for
        where = _("dòng %(n)s") % {"n": raw["_row"]}
        here = _("dòng %(n)s, mã %(c)s") % {"n": raw["_row"], "c": code} if code else where
    else:
        here = f"{where} {code}".strip() if code else where
    title = str(raw.get("title") or "").strip()
    if not code:
        problems.append(_("%(w)s: thiếu mã (code)") % {"w": here})
    elif code in codes:
        problems.append(_("%(w)s: mã %(c)s bị trùng") % {"w": here, "c": code})
    elif len(code) > CODE_MAX_LENGTH:
        problems.append(_("%(w)s: mã %(c)s dài %(n)s ký tự, tối đa %(m)s") % {
            "w": here, "c": code, "n": len(code), "m": CODE_MAX_LENGTH})
    codes.add(code)
    if not title:
        problems.append(_("%(w)s: thiếu nội dung (title)") % {"w": here})
    children_raw = raw.get(_CHILD_KEYS[depth]) if depth < 2 else None
    if depth < 2 and children_raw is not None and not isinstance(children_raw, list):
        problems.append(_("%(w)s: %(k)s phải là một danh sách") % {"w": here,
                                                                    "k": _CHILD_KEYS[depth]})
        children_raw = None
    node = _Node(code=code, title=title, depth=depth, max_points=Decimal(0),
                 rule=str(raw.get("rule") or "").strip(),
                 evidence=str(raw.get("evidence") or "").strip())
    if children_raw:
        for i, child in enumerate(children_raw, 1):
            parsed = _parse_node(child, depth + 1, f"{here} › {_WHAT[depth + 1]} {i}", problems,
                                 codes)
            if parsed:
                node.children.append(parsed)
        node.max_points = sum((c.max_points for c in node.children), Decimal(0))
        declared = raw.get("max_points")
        if declared is not None and _dec(declared) != node.max_points:
            problems.append(_("%(w)s: max_points %(d)s khác tổng điểm các mục con %(s)s")
                            % {"w": here, "d": declared, "s": node.max_points})
        return node
    if depth == 0:
        problems.append(_("%(w)s: lĩnh vực phải có ít nhất một tiêu chí") % {"w": here})
        return node
    max_points = _dec(raw.get("max_points"))
    if max_points is None or max_points <= 0:
        problems.append(_("%(w)s: max_points phải là số dương") % {"w": here})
        max_points = Decimal(0)
    node.max_points = max_points
    kind = str(raw.get("answer") or "")
    if kind not in ParAnswerKind.values:
        problems.append(_("%(w)s: answer phải là một trong %(k)s") % {
            "w": here, "k": ", ".join(ParAnswerKind.values)})
    node.answer_kind = kind
    scale = raw.get("scale") or []
    if kind in ("number", "percent"):
        if not isinstance(scale, list) or not scale:
            problems.append(_("%(w)s: câu trả lời dạng số hoặc tỷ lệ cần thang điểm (scale)")
                            % {"w": here})
            scale = []
        for j, step in enumerate(scale, 1):
            start = _dec(step.get("from")) if isinstance(step, dict) else None
            points = _dec(step.get("points")) if isinstance(step, dict) else None
            if start is None or points is None:
                problems.append(_("%(w)s: bậc %(j)s của scale cần from và points là số")
                                % {"w": here, "j": j})
            elif points < 0 or points > max_points:
                problems.append(_("%(w)s: bậc %(j)s của scale cho %(p)s điểm, vượt điểm tối đa "
                                  "%(m)s") % {"w": here, "j": j, "p": points, "m": max_points})
        node.scale = [{"from": float(_dec(s["from"])), "points": float(_dec(s["points"]))}
                      for s in scale if isinstance(s, dict) and _dec(s.get("from")) is not None
                      and _dec(s.get("points")) is not None]
    live = str(raw.get("live") or "").strip()
    if live:
        if live not in live_choices():
            problems.append(_("%(w)s: live “%(l)s” không phải chỉ số có sẵn (%(k)s)") % {
                "w": here, "l": live, "k": ", ".join(live_choices())})
        elif kind != "percent":
            problems.append(_("%(w)s: tiêu chí lấy số liệu tự động phải có answer: percent")
                            % {"w": here})
    node.live_metric = live
    return node


def _yaml_data(text: str | bytes) -> Any:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise CriteriaImportError([_("tệp không phải văn bản UTF-8")]) from None
    try:
        # An alias (*name) repeats a whole subtree without repeating its text: a 1.5 KB file
        # of three nested lists of 100 aliases each stands for a million criteria, and checking
        # them took a worker 30 s and 2.2 GB. A criteria set never needs one: refused before
        # anything is built.
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text)):
            raise CriteriaImportError([_("tệp YAML không được dùng bí danh (*tên): hãy viết "
                                         "đầy đủ từng mục")])
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("dòng %(n)s") % {"n": mark.line + 1} if mark else ""
        raise CriteriaImportError([_("không đọc được YAML %(w)s") % {"w": where}]) from None


def criteria_validate(data: Any, problems: list[str] | None = None) -> list[_Node]:
    """The tree of a criteria file read into the YAML's structure (from YAML or Excel);
    CriteriaImportError listing every problem, with those the reader already found."""
    problems = list(problems or [])
    if not isinstance(data, dict):
        raise CriteriaImportError(problems or [_("tệp phải bắt đầu bằng year, level, name, "
                                                 "areas")])
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(_("year phải là năm, ví dụ 2026"))
    if data.get("level") not in ParLevel.values:
        problems.append(_("level phải là một trong %(k)s") % {"k": ", ".join(ParLevel.values)})
    if not str(data.get("name") or "").strip():
        problems.append(_("thiếu name (tên bộ tiêu chí)"))
    for key in ("name", "decision"):
        length = len(str(data.get(key) or "").strip())
        if length > TEXT_MAX_LENGTH:
            problems.append(_("%(k)s dài %(n)s ký tự, tối đa %(m)s") % {
                "k": key, "n": length, "m": TEXT_MAX_LENGTH})
    areas = data.get("areas")
    nodes: list[_Node] = []
    if not isinstance(areas, list) or not areas:
        problems.append(_("areas phải là danh sách các lĩnh vực"))
    else:
        codes: set[str] = set()
        for i, area in enumerate(areas, 1):
            node = _parse_node(area, 0, _("lĩnh vực %(i)s") % {"i": i}, problems, codes)
            if node:
                nodes.append(node)
        total = sum((n.max_points for n in nodes), Decimal(0))
        if not problems and total != 100:
            problems.append(_("tổng điểm tối đa là %(t)s, phải bằng 100") % {"t": total})
    if problems:
        raise CriteriaImportError(problems)
    return nodes


def criteria_parse(content: str | bytes) -> tuple[dict[str, Any], list[_Node]]:
    """The header and the tree of a criteria file, YAML or Excel (.xlsx, told by its content);
    CriteriaImportError listing every problem."""
    if isinstance(content, bytes) and len(content) > MAX_FILE_BYTES:
        raise CriteriaImportError([_("tệp lớn hơn 2 MB")])
    if isinstance(content, bytes) and is_xlsx(content):
        # Checked as any upload first (dossiers/uploads.py): a damaged archive, a "zip bomb"
        # or another Office file is refused before openpyxl opens it.
        try:
            kind = upload_check(_("tệp bộ tiêu chí"), content)
        except UploadRejected as refused:
            raise CriteriaImportError([refused.message]) from None
        if kind.kind != "xlsx":
            raise CriteriaImportError([_("tệp không phải bảng tính Excel (.xlsx)")])
        data, problems = xlsx_data(content)
    else:
        data, problems = _yaml_data(content), []
    return data, criteria_validate(data, problems)


def criteria_import(content: str | bytes, *, source_name: str = "",
                    replace: bool = False) -> ParCriteriaSet:
    """Create the set from the file (YAML or Excel), all or nothing. An existing set of the same
    year and level is refused unless `replace` (and then only while no round uses it)."""
    data, nodes = criteria_parse(content)
    with transaction.atomic():
        existing = ParCriteriaSet.objects.filter(year=data["year"], level=data["level"]).first()
        if existing is not None:
            if not replace:
                raise CriteriaImportError([_("đã có bộ tiêu chí năm %(y)s cho cấp này") % {
                    "y": data["year"]}])
            if existing.rounds.exists():
                raise CriteriaImportError([_("bộ tiêu chí năm %(y)s đã được dùng cho một đợt "
                                             "đánh giá, không thay được") % {"y": data["year"]}])
            existing.delete()
        crit_set = ParCriteriaSet.objects.create(
            year=data["year"], level=data["level"], name=str(data["name"]).strip(),
            decision=str(data.get("decision") or "").strip(), source_name=source_name[:200])
        order = 0

        def write(node: _Node, parent: ParCriterion | None) -> None:
            nonlocal order
            order += 1
            row = ParCriterion.objects.create(
                criteria_set=crit_set, parent=parent, depth=node.depth, order=order,
                code=node.code, title=node.title[:500], max_points=node.max_points,
                rule=node.rule, evidence=node.evidence, answer_kind=node.answer_kind,
                scale=node.scale, live_metric=node.live_metric)
            for child in node.children:
                write(child, row)

        for node in nodes:
            write(node, None)
    return crit_set
