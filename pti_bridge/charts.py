"""Bar charts drawn by the server as inline SVG: no JavaScript, no CDN.

`bar_chart(...)` turns figures into geometry (rectangles, ticks, labels) that the template
`admin/reports/_bar_chart.html` writes out as SVG; the template escapes every text. The
same figures go into an HTML table beside the chart, for screen readers and for copying.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

# Okabe-Ito colours: told apart by people with colour-blindness; grey is "other".
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F"]
OTHER_COLOUR = "#8A8A8A"


@dataclass
class Series:
    key: str
    label: str
    values: list  # one number per category (x position)
    colour: str = ""


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class XLabel:
    x: float
    label: str


@dataclass
class BarChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    x_labels: list[XLabel] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    empty: bool = False


def nice_step(maximum: float, target_ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `target_ticks` ticks up to `maximum`."""
    if maximum <= 0:
        return 1
    raw = maximum / target_ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            step = multiple * power
            break
    return max(step, 1) if maximum >= 1 else step


def format_number(value) -> str:
    if isinstance(value, Decimal):
        value = float(value)
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}"


def colour_series(series: list[Series], other_key: str = "") -> list[Series]:
    for index, item in enumerate(series):
        item.colour = OTHER_COLOUR if item.key == other_key else PALETTE[index % len(PALETTE)]
    return series


def bar_chart(
    *, categories: list[str], series: list[Series], stacked: bool = True, width: int = 720, height: int = 260
) -> BarChart:
    """Stacked (or grouped) vertical bars, one slot per category, one colour per series."""
    left, right, top, bottom = 56, width - 12, 12, height - 28
    chart = BarChart(
        width=width, height=height, plot_left=left, plot_right=right, plot_top=top, plot_bottom=bottom, series=series
    )
    if stacked:
        totals = [sum(float(s.values[i] or 0) for s in series) for i in range(len(categories))]
    else:
        totals = [max((float(s.values[i] or 0) for s in series), default=0) for i in range(len(categories))]
    maximum = max(totals, default=0)
    chart.empty = maximum <= 0
    step = nice_step(maximum)
    top_value = step * max(1, math.ceil(maximum / step)) if maximum > 0 else step * 4
    scale = (bottom - top) / top_value

    value = 0.0
    while value <= top_value + step / 1000:
        chart.ticks.append(Tick(y=round(bottom - value * scale, 1), label=format_number(value)))
        value += step

    slot = (right - left) / max(1, len(categories))
    bar_width = slot * 0.7
    for index, category in enumerate(categories):
        slot_left = left + index * slot + (slot - bar_width) / 2
        chart.x_labels.append(XLabel(x=round(left + index * slot + slot / 2, 1), label=category))
        base = bottom
        for position, item in enumerate(series):
            amount = float(item.values[index] or 0)
            if amount <= 0:
                continue
            bar_height = amount * scale
            title = f"{item.label}, {category}: {format_number(item.values[index])}"
            if stacked:
                base -= bar_height
                chart.bars.append(
                    Bar(
                        round(slot_left, 1),
                        round(base, 1),
                        round(bar_width, 1),
                        round(bar_height, 1),
                        item.colour,
                        title,
                    )
                )
            else:
                group_width = bar_width / len(series)
                chart.bars.append(
                    Bar(
                        round(slot_left + position * group_width, 1),
                        round(bottom - bar_height, 1),
                        round(group_width, 1),
                        round(bar_height, 1),
                        item.colour,
                        title,
                    )
                )
    return chart
