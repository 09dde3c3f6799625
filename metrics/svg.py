"""Charts drawn as SVG on the server: no JavaScript, readable on a projector and a phone.

The SVG scales with its container (viewBox, width 100 %); every bar carries a <title> so screen
readers and hovering show the exact figure, and the page prints the same numbers in a table.
"""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 260, 44, 44, 16, 48


def trend_chart(points, *, title: str) -> SafeString:
    """Bars: dossiers received per month (left axis); line: on-time rate in % (right axis).

    `points` are metrics.selectors.TrendPoint.
    """
    n = max(len(points), 1)
    top = max([p.received for p in points] + [1])
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    slot = plot_w / n
    parts = [f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for frac in (0, 0.5, 1):
        y = PAD_T + plot_h * (1 - frac)
        parts.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'class="chart__grid"/>')
        parts.append(f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'class="chart__axis">{round(top * frac)}</text>')
        parts.append(f'<text x="{W - PAD_R + 6}" y="{y + 4:.1f}" class="chart__axis">'
                     f'{round(100 * frac)}%</text>')
    line = []
    for i, p in enumerate(points):
        x = PAD_L + i * slot
        h = plot_h * p.received / top
        label = gettext("%(period)s: %(count)s hồ sơ tiếp nhận") % {
            "period": p.period.label, "count": p.received}
        parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{PAD_T + plot_h - h:.1f}" '
                     f'width="{slot * 0.7:.1f}" height="{h:.1f}" class="chart__bar">'
                     f"<title>{escape(label)}</title></rect>")
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{H - PAD_B + 16}" text-anchor="middle" '
                     f'class="chart__axis">{p.period.number:02d}/{p.period.year % 100:02d}'
                     f"</text>")
        if p.on_time_rate is not None:
            y = PAD_T + plot_h * (1 - float(p.on_time_rate) / 100)
            line.append((x + slot / 2, y, p))
    if line:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in line)
        parts.append(f'<polyline points="{coords}" class="chart__line"/>')
        for x, y, p in line:
            label = gettext("%(period)s: %(rate)s%% trước và đúng hạn") % {
                "period": p.period.label, "rate": p.on_time_rate}
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="chart__dot">'
                         f"<title>{escape(label)}</title></circle>")
    legend = gettext("▮ Hồ sơ tiếp nhận   ● Tỷ lệ trước và đúng hạn (%)")
    parts.append(f'<text x="{PAD_L}" y="{H - 8}" class="chart__legend">{escape(legend)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def share_bar(parts: list[tuple[str, int, str]], *, title: str) -> SafeString:
    """One horizontal bar split into shares, e.g. settled early / on time / late.

    `parts` are (label, count, css modifier).
    """
    total = sum(count for _, count, _ in parts)
    out = [f'<svg class="chart chart--bar" viewBox="0 0 {W} 36" role="img" '
           f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
           f"<title>{escape(title)}</title>"]
    if total == 0:
        out.append('<rect x="0" y="4" width="640" height="28" class="chart__empty"/>')
    x = Decimal(0)
    for label, count, modifier in parts:
        if not count:
            continue
        w = Decimal(W) * count / total
        out.append(f'<rect x="{x:.1f}" y="4" width="{w:.1f}" height="28" '
                   f'class="chart__part chart__part--{escape(modifier)}">'
                   f"<title>{escape(label)}: {count}</title></rect>")
        x += w
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
