"""Charts for the dashboard, drawn as inline SVG when the page is written.

No script and nothing fetched: each chart is plain SVG markup with its numbers written
beside the bars, and the page repeats them in a table for screen readers and print.
Every text that reaches the SVG is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Fills distinct in lightness as well as hue; dark text on each passes 4.5:1.
FILLS = {
    "not_started": "#eceef1",
    "in_progress": "#ffd966",
    "ready": "#9dc3f5",
    "met": "#8fd9a8",
    "not_yet_met": "#f4a3a3",
}
BAR = "#3d6fb6"
INK = "#1f2328"


@dataclass(frozen=True)
class Bin:
    """One bar of the progress spread: ``low``..``high`` per cent, and how many learners."""

    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high} %"


def progress_bins(percents: Sequence[float], width: int = 10) -> list[Bin]:
    """Learners per band of "criteria ready or met" (the top band includes 100 %)."""
    bins = [Bin(lo, lo + width - 1 if lo + width < 100 else 100, 0) for lo in range(0, 100, width)]
    counts = [0] * len(bins)
    for p in percents:
        counts[min(int(p // width), len(bins) - 1)] += 1
    return [Bin(b.low, b.high, n) for b, n in zip(bins, counts, strict=True)]


def progress_chart(bins: Sequence[Bin], total: int) -> Markup:
    """A column chart of the spread of progress, each column labelled with its count."""
    col, gap, plot, top, bottom, left = 34, 8, 120, 18, 34, 8
    peak = max((b.count for b in bins), default=0) or 1
    width = left + len(bins) * (col + gap)
    height = top + plot + bottom
    parts = [
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="spread-t"><title id="spread-t">Spread of progress: '
        f"learners by share of criteria ready or met, {total} learners</title>"
    ]
    for i, b in enumerate(bins):
        x = left + i * (col + gap)
        h = round(plot * b.count / peak)
        y = top + plot - h
        parts.append(
            f'<rect x="{x}" y="{y}" width="{col}" height="{h}" fill="{BAR}"/>'
            f'<text x="{x + col / 2}" y="{y - 4}" text-anchor="middle" fill="{INK}">'
            f"{b.count}</text>"
            f'<text x="{x + col / 2}" y="{top + plot + 14}" text-anchor="middle" '
            f'font-size="10" fill="{INK}">{b.low}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot}" x2="{width}" y2="{top + plot}" stroke="{INK}"/>'
        f'<text x="{left}" y="{height - 4}" font-size="11" fill="{INK}">'
        f"per cent of criteria ready or met (band starts)</text></svg>"
    )
    return Markup("".join(parts))


def coverage_chart(
    rows: Sequence[tuple[str, dict[str, int]]], total: int, order: Sequence[str], chart_id: str
) -> Markup:
    """Stacked bars, one per criterion: learners by status, with "n of N" beside each."""
    label_w, bar_w, row_h, note_w = 44, 300, 20, 190
    width = label_w + bar_w + note_w
    height = len(rows) * row_h + 6
    parts = [
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-t"><title id="{escape(chart_id)}-t">'
        f"Coverage per criterion: learners by status, of {total}</title>"
    ]
    for i, (crit, counts) in enumerate(rows):
        y = 3 + i * row_h
        x = float(label_w)
        parts.append(
            f'<text x="0" y="{y + 13}" fill="{INK}" font-weight="600">{escape(crit)}</text>'
        )
        for status in order:
            n = counts.get(status, 0)
            if not n or not total:
                continue
            w = bar_w * n / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 4}" '
                f'fill="{FILLS[status]}" stroke="#8a9099" stroke-width="0.5"/>'
            )
            x += w
        done = counts.get("ready", 0) + counts.get("met", 0)
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 13}" fill="{INK}">'
            f"{done} of {total} ready or met</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
