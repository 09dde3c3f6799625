"""Live criteria: a PAR Index criterion whose value comes from data the system already holds.

A criterion names its source in `live_metric`:
- a percentage indicator of Decision 766 in metrics/ (`metrics.indicators.INDICATORS`: the
  on-time share, the online share, the share synced to the national portal, the share of results
  issued electronically, digitised dossiers, satisfaction from evaluations, feedback on
  regulations answered on time, publication…), read
  for the assessed unit's subtree over the round's period through `metrics.selectors` — the very
  figure the service-index dashboard shows, never a second definition;
- a SIPAS index (`sipas` overall, `sipas_<element>`), read from the survey rounds of the period
  (reform/sipas/selectors.py).
The figure, its formula, its source and the link to the dossiers behind it are kept on the score.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Unit
from metrics import selectors as metric_selectors
from metrics.indicators import INDICATORS
from metrics.periods import Period
from reform.models import SipasElement

SIPAS_KEYS = {"sipas": None, **{f"sipas_{e}": e for e in SipasElement.values}}
# Decision 766 indicators whose figures open a page other than a dossier list: feedback on
# regulations answered on time opens the PAKN statistics page (feedback/) for the period.
STATISTICS_PAGES = {"feedback_on_time": "feedback:staff_statistics"}


def live_choices() -> list[str]:
    """Every key a criterion may name: 766 percentages (with data in motcua or not) and SIPAS."""
    return [k for k, i in INDICATORS.items() if i.unit == "percent"] + list(SIPAS_KEYS)


@dataclass(frozen=True)
class LiveFigure:
    key: str
    name: str
    formula: str
    source: str
    value: Decimal | None  # None: no data (0 of 0 counted, or no source in the system yet)
    url: str  # the dossiers behind the figure, or the survey's results; "" when none

    def as_json(self) -> dict:
        return {"key": self.key, "name": self.name, "formula": self.formula,
                "source": self.source, "url": self.url,
                "value": None if self.value is None else str(self.value)}


def _metric(key: str, unit: Unit, period: Period, report) -> LiveFigure:
    indicator = INDICATORS[key]
    value = report.values[key]
    url = ""
    if indicator.drill:
        url = (f"{reverse('metrics:drill')}?don-vi={unit.code}&{period.query}"
               f"&chi-so={indicator.drill}")
    elif key in STATISTICS_PAGES:
        url = (f"{reverse(STATISTICS_PAGES[key])}?tu={period.start.isoformat()}"
               f"&den={period.last_day.isoformat()}")
    return LiveFigure(key, str(indicator.name), str(indicator.formula), str(indicator.source),
                      None if value is None else Decimal(value), url)


def _sipas(key: str, unit: Unit, period: Period) -> LiveFigure:
    from reform.sipas.selectors import sipas_index_for_unit, sipas_printed_share_for_unit

    element = SIPAS_KEYS[key]
    value = sipas_index_for_unit(unit=unit, start=period.start, end=period.end, element=element)
    printed = sipas_printed_share_for_unit(unit=unit, start=period.start, end=period.end)
    name = (_("Chỉ số hài lòng SIPAS") if element is None else
            _("Chỉ số hài lòng SIPAS — %(e)s") % {"e": SipasElement(element).label})
    formula = (_("trung bình chỉ số của 5 yếu tố; chỉ số yếu tố = câu trả lời “hài lòng” và "
                 "“rất hài lòng” / câu trả lời về mức độ hài lòng × 100") if element is None else
               _("câu trả lời “hài lòng” và “rất hài lòng” / câu trả lời về mức độ hài lòng của "
                 "yếu tố × 100"))
    source = _("QĐ 1001/QĐ-BNV (2023); khảo sát SIPAS của tỉnh")
    if printed is not None:
        # The appraisers see how much of the figure came through slips the organiser printed
        # and handed out, rather than links sent to the people themselves (audit8).
        source = _("%(source)s; %(share)s %% phiếu trả lời qua mã QR in") % {
            "source": source, "share": printed}
    return LiveFigure(key, name, formula, source, value, reverse("reform:sipas_list"))


def live_figures(keys: set[str], *, unit: Unit, period: Period,
                 now: datetime) -> dict[str, LiveFigure]:
    """The figures of `keys` for the unit and period: one metrics report for all 766 keys."""
    out: dict[str, LiveFigure] = {}
    metric_keys = {k for k in keys if k in INDICATORS}
    if metric_keys:
        report = metric_selectors.unit_report(unit, period, now)
        for key in metric_keys:
            out[key] = _metric(key, unit, period, report)
    for key in keys - metric_keys:
        if key in SIPAS_KEYS:
            out[key] = _sipas(key, unit, period)
    return out
