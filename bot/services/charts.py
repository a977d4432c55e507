"""The monthly chart of the indicators, drawn with matplotlib into PNG bytes.

The Agg backend draws without a display (a server has none), and each chart has its own Figure rather than
pyplot's global state, so drawing in a worker thread is safe. matplotlib is imported on the first chart only:
it takes seconds to load, which neither the bot's start nor the command line should pay.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

# Colour-blind-safe (Okabe-Ito) colours, one per report channel, in the order the bars are stacked.
CHANNEL_COLOURS = {"telegram": "#0072B2", "phone": "#E69F00", "in_person": "#009E73", "self_test": "#CC79A7"}
LINE_COLOUR = "#222222"
VISITS_COLOUR = "#D55E00"


@dataclass(frozen=True, slots=True)
class MonthBars:
    month: date
    reports: Mapping[str, int]  # channel -> reports received that month
    newly_followed: int
    visits_done: int


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """Everything written on the chart, already in the reader's language."""

    title: str
    months: Sequence[str]
    channels: Mapping[str, str]
    newly_followed: str
    visits_done: str
    count_axis: str


def chart_png(months: Sequence[MonthBars], labels: ChartLabels) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(8, 4.5), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(months)))
    bottom = [0] * len(months)
    for channel, colour in CHANNEL_COLOURS.items():
        heights = [m.reports.get(channel, 0) for m in months]
        axes.bar(positions, heights, bottom=bottom, color=colour, label=labels.channels[channel], width=0.6)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.plot(
        positions,
        [m.newly_followed for m in months],
        color=LINE_COLOUR,
        marker="o",
        linewidth=2,
        label=labels.newly_followed,
    )
    axes.plot(
        positions,
        [m.visits_done for m in months],
        color=VISITS_COLOUR,
        marker="s",
        linestyle="--",
        linewidth=2,
        label=labels.visits_done,
    )
    crowded = len(months) > 6
    axes.set_xticks(positions, list(labels.months), rotation=45 if crowded else 0, ha="right" if crowded else "center")
    axes.set_ylabel(labels.count_axis)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0)
    axes.set_title(labels.title)
    # Under the chart, so that it never hides a bar.
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, fontsize="small", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
