"""Charts drawn on the server as SVG (no script, nothing fetched): grouped
horizontal bars, one group per category (a 类 or an economic class), one bar
per document (a year and phase)."""
from __future__ import annotations

from decimal import Decimal
from html import escape

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
BAR, GAP, LABEL_WIDTH, PLOT_WIDTH, VALUE_WIDTH = 14, 10, 230, 420, 110


def yuan_text(amount: Decimal) -> str:
    """An amount in yuan as 万元 with two decimals, as the documents print it."""
    return f"{amount / 10000:,.2f} 万元"


def grouped_bars(title: str, categories: list[str], series: list[str],
                 values: dict[tuple[str, str], Decimal]) -> str:
    """An SVG of `values[(category, series)]` (yuan); a missing pair draws no bar."""
    if not categories or not series:
        return f'<p class="empty">{escape(title)}: no amounts in the store.</p>'
    top = max([v for v in values.values() if v > 0] or [Decimal(1)])
    legend_height = 22
    group = BAR * len(series) + GAP
    height = legend_height + 30 + group * len(categories)
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f"<title>{escape(title)}</title>",
           f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>']
    x = LABEL_WIDTH
    for i, name in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<rect x="{x}" y="{legend_height - 2}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{x + 14}" y="{legend_height + 7}">{escape(name)}</text>')
        x += 14 + 8 * len(name) + 16
    y = legend_height + 20
    for category in categories:
        out.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + group / 2}" text-anchor="end" '
                   f'dominant-baseline="middle">{escape(category)}</text>')
        for i, name in enumerate(series):
            value = values.get((category, name))
            if value is None:
                continue
            length = max(float(value / top) * PLOT_WIDTH, 0.0)
            by = y + i * BAR
            label = f"{category} · {name}: {yuan_text(value)}"
            out.append(f'<rect class="bar" x="{LABEL_WIDTH}" y="{by}" width="{length:.1f}" height="{BAR - 2}" '
                       f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(label)}</title></rect>'
                       f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{by + BAR / 2}" dominant-baseline="middle" '
                       f'font-size="10">{escape(yuan_text(value))}</text>')
        y += group
    out.append("</svg>")
    return "".join(out)
