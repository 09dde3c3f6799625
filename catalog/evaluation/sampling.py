"""How the procedures behind the evaluation queries were drawn (run once; docs/search.md).

The draw comes before any query is written, so the set cannot lean towards what the ranking
already finds:

1. Every field (lĩnh vực) of the national file gets one procedure, so every field is represented.
2. `EXTRA` more are drawn with a weight of the field's size times its demand: fields where
   citizens and households file most (civil status, residence, identity, passports, driving
   licences, land, housing, tax, social insurance, household businesses, certification…) weigh
   `CITIZEN_DEMAND`, the others 1. A field's procedures are equally likely.
3. Each drawn procedure gets the kind of query to write for it, in the proportions of issue #15's
   own trial (30 without diacritics : 20 everyday words : 15 a need in a sentence : 15 short).
4. Development or test is decided by the procedure code (`part_of`), so every query written for
   one procedure lands on the same side, whatever its words.

    .venv/bin/python -m catalog.evaluation.sampling NATIONAL_FILE > targets.tsv

The second development set (`dev2.jsonl`, fifth round) is drawn by `draw_second`: the same
weights and kinds, another seed, only among procedures the split puts on the development side
and the first draw did not take, so that it adds development data without touching a test
procedure:

    .venv/bin/python -m catalog.evaluation.sampling NATIONAL_FILE --second > targets2.tsv

The third development set (`dev3.jsonl`, fifteenth round) is drawn by `draw_third`: the same
weights and kinds, a third seed, only among development-side procedures neither earlier draw
took (the four development rounds since the twelfth had stopped moving on the first two parts):

    .venv/bin/python -m catalog.evaluation.sampling NATIONAL_FILE --third > targets3.tsv

The fourth development set (`dev4.jsonl`, sixteenth round) is drawn by `draw_fourth`: the same
weights and kinds, a fourth seed, only among development-side procedures no earlier draw took
(the three earlier parts have all been tuned on; the fourth measures the ranking fresh):

    .venv/bin/python -m catalog.evaluation.sampling NATIONAL_FILE --fourth > targets4.tsv
"""

import gzip
import hashlib
import json
import random
import sys
from collections import defaultdict

SEED = 15
EXTRA = 310
CITIZEN_DEMAND = 6
CITIZEN_FIELDS = (
    "Hộ tịch", "Đăng ký, quản lý cư trú", "Cấp, quản lý căn cước", "Quản lý xuất nhập cảnh",
    "Sát hạch, cấp giấy phép lái xe",
    "Đăng ký, quản lý phương tiện giao thông cơ giới, xe máy chuyên dùng", "Đất đai",
    "Nhà ở và công sở", "Thuế", "Thực hiện chính sách BHXH", "Chi trả các chế độ BHXH",
    "Thực hiện chính sách BHYT", "Thu BHXH, BHYT, BHTN, BH tai nạn lao động, BNN",
    "Cấp sổ BHXH, thẻ BHYT", "Thành lập và hoạt động của doanh nghiệp",
    "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)", "Chứng thực", "Lý lịch tư pháp",
    "Công chứng", "Nuôi con nuôi", "Quốc tịch", "Hoạt động xây dựng", "Người có công",
    "Giảm nghèo", "Trợ giúp pháp lý", "Khiếu nại, tố cáo", "Chính sách",
    "Đăng ký biện pháp bảo đảm", "Kinh doanh bất động sản", "Tài chính đất đai",
    "Định danh và xác thực điện tử", "Đăng kiểm", "Bảo đảm trật tự, an toàn giao thông đường bộ",
    "Kiểm tra kiến thức pháp luật về trật tự, an toàn giao thông đường bộ",
    "Thi hành án dân sự", "Bồi thường nhà nước", "Hòa giải ở cơ sở",
    "Thành lập và hoạt động của tổ hợp tác, hợp tác xã, liên hiệp hợp tác xã",
    "Đăng ký, quản lý con dấu",
)
KINDS = ("khong_dau",) * 30 + ("tu_thuong_dung",) * 20 + ("cau_nhu_cau",) * 15 + ("ngan",) * 15


def part_of(code: str) -> str:
    """"dev" or "test", fixed by the code of the procedure a query was written for."""
    return "test" if hashlib.sha256(code.encode()).digest()[0] % 2 else "dev"


def draw(records: list[dict]) -> list[tuple[dict, str]]:
    rnd = random.Random(SEED)
    by_field: dict[str, list[dict]] = defaultdict(list)
    for record in sorted(records, key=lambda r: r["ma_thu_tuc"]):
        by_field[record["linh_vuc"]].append(record)
    chosen: list[dict] = []
    for field in sorted(by_field):
        chosen.append(rnd.choice(by_field[field]))
    taken = {r["ma_thu_tuc"] for r in chosen}
    pool = [r for r in records if r["ma_thu_tuc"] not in taken]
    pool.sort(key=lambda r: r["ma_thu_tuc"])
    weight = {r["ma_thu_tuc"]: CITIZEN_DEMAND if r["linh_vuc"] in CITIZEN_FIELDS else 1
              for r in pool}
    while len(chosen) < len(by_field) + EXTRA:
        pick = rnd.choices(pool, weights=[weight[r["ma_thu_tuc"]] for r in pool])[0]
        pool.remove(pick)
        chosen.append(pick)
    kinds = list(KINDS) * (len(chosen) // len(KINDS) + 1)
    rnd.shuffle(kinds)
    return list(zip(chosen, kinds, strict=False))


SECOND_SEED = 1505
SECOND_SIZE = 120


def _draw_more(records: list[dict], taken: set[str], *, seed: int,
               size: int) -> list[tuple[dict, str]]:
    """`size` development procedures not in `taken`, drawn as the first draw weighs them, each
    with a kind of query; a later part never repeats an earlier part's procedure."""
    pool = sorted((r for r in records if r["ma_thu_tuc"] not in taken
                   and part_of(r["ma_thu_tuc"]) == "dev"), key=lambda r: r["ma_thu_tuc"])
    rnd = random.Random(seed)
    weight = [CITIZEN_DEMAND if r["linh_vuc"] in CITIZEN_FIELDS else 1 for r in pool]
    chosen: list[dict] = []
    while len(chosen) < size:
        index = rnd.choices(range(len(pool)), weights=weight)[0]
        chosen.append(pool.pop(index))
        weight.pop(index)
    kinds = list(KINDS) * (len(chosen) // len(KINDS) + 1)
    rnd.shuffle(kinds)
    return list(zip(chosen, kinds, strict=False))


def _codes(drawn: list[tuple[dict, str]]) -> set[str]:
    return {record["ma_thu_tuc"] for record, _ in drawn}


def draw_second(records: list[dict]) -> list[tuple[dict, str]]:
    """120 more development procedures: not in the first draw, on the development side."""
    return _draw_more(records, _codes(draw(records)), seed=SECOND_SEED, size=SECOND_SIZE)


THIRD_SEED = 1515
THIRD_SIZE = 150


def draw_third(records: list[dict]) -> list[tuple[dict, str]]:
    """150 more development procedures: in neither earlier draw, on the development side."""
    taken = _codes(draw(records)) | _codes(draw_second(records))
    return _draw_more(records, taken, seed=THIRD_SEED, size=THIRD_SIZE)


FOURTH_SEED = 1616
FOURTH_SIZE = 150


def draw_fourth(records: list[dict]) -> list[tuple[dict, str]]:
    """150 more development procedures: in no earlier draw, on the development side."""
    taken = _codes(draw(records)) | _codes(draw_second(records)) | _codes(draw_third(records))
    return _draw_more(records, taken, seed=FOURTH_SEED, size=FOURTH_SIZE)


def main() -> None:
    with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    if "--fourth" in sys.argv[2:]:
        drawn = draw_fourth(records)
    elif "--third" in sys.argv[2:]:
        drawn = draw_third(records)
    elif "--second" in sys.argv[2:]:
        drawn = draw_second(records)
    else:
        drawn = draw(records)
    for record, kind in drawn:
        name = " ".join(record["ten_thu_tuc"].split())
        print("\t".join([record["ma_thu_tuc"], kind, part_of(record["ma_thu_tuc"]),
                         record["linh_vuc"], record["cap_thuc_hien"], name]))


if __name__ == "__main__":
    main()
