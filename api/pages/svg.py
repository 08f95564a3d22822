"""Server-rendered inline SVG: horizontal bar charts and a dot map of the 262 Walloon communes.

No script and no tiles: the map draws every commune centroid (reference data) as a light dot and the
highlighted ones as larger linked dots, which together outline Wallonia. Every text is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping

from markupsafe import Markup, escape

from pcs_graph.graph.reference import Commune


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown ("12", "24 %")
    href: str | None = None
    compare: float | None = None  # optional second value drawn as a thin bar (e.g. 2009-2013 share)


def bar_chart(bars: list[Bar], title: str, label_width: int = 300, width: int = 720,
              compare_legend: tuple[str, str] | None = None) -> Markup:
    """Horizontal bars, one row per bar, with the label on the left and the value on the right."""
    row, top = 30, 8
    legend_height = 24 if compare_legend else 0
    height = top + row * len(bars) + legend_height + 8
    plot = width - label_width - 70
    peak = max([b.value for b in bars] + [b.compare or 0 for b in bars] + [1e-9])
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, b in enumerate(bars):
        y = top + i * row
        room = int(label_width / 7.4)  # ~7.4 px per character at 13px
        label = b.label if len(b.label) <= room else b.label[:room - 1].rstrip() + "…"
        text = f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" class="chart-label">{escape(label)}</text>'
        if b.href:
            text = f'<a href="{escape(b.href)}">{text}</a>'
        length = max(plot * b.value / peak, 1.5 if b.value else 0)
        bar_height = 12 if b.compare is not None else 20
        parts.append(f'<g><title>{escape(b.label)} : {escape(b.text)}</title>{text}'
                     f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{bar_height}" class="bar"/>')
        if b.compare is not None:
            parts.append(f'<rect x="{label_width}" y="{y + 16}" width="{plot * b.compare / peak:.1f}" '
                         f'height="8" class="bar-compare"/>')
        parts.append(f'<text x="{label_width + length + 6:.1f}" y="{y + 17}" class="chart-value">'
                     f'{escape(b.text)}</text></g>')
    if compare_legend:
        y = top + row * len(bars) + 6
        parts.append(f'<rect x="{label_width}" y="{y}" width="14" height="10" class="bar"/>'
                     f'<text x="{label_width + 20}" y="{y + 10}" class="chart-legend">{escape(compare_legend[0])}</text>'
                     f'<rect x="{label_width + 220}" y="{y + 2}" width="14" height="6" class="bar-compare"/>'
                     f'<text x="{label_width + 240}" y="{y + 10}" class="chart-legend">{escape(compare_legend[1])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def commune_map(communes: Iterable[Commune], highlighted: Mapping[str, int], title: str,
                width: int = 640) -> Markup:
    """All communes as light dots; those in `highlighted` (NIS → count) as linked, sized dots."""
    communes = list(communes)
    if not communes:
        return Markup("")
    mean_lat = math.radians(sum(c.lat for c in communes) / len(communes))
    xs = [c.lon * math.cos(mean_lat) for c in communes]
    ys = [-c.lat for c in communes]
    x0, y0 = min(xs), min(ys)
    scale = (width - 30) / (max(xs) - x0)
    height = int((max(ys) - y0) * scale) + 30

    def point(c: Commune) -> tuple[float, float]:
        return 15 + (c.lon * math.cos(mean_lat) - x0) * scale, 15 + (-c.lat - y0) * scale

    parts = [f'<svg class="map" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    provinces: dict[str, list[tuple[float, float]]] = {}
    for c in communes:
        provinces.setdefault(c.province, []).append(point(c))
    for name, points in sorted(provinces.items()):
        px, py = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
        parts.append(f'<text x="{px:.1f}" y="{py:.1f}" text-anchor="middle" class="province-label">'
                     f'{escape(name)}</text>')
    for c in communes:
        if c.nis not in highlighted:
            x, y = point(c)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" class="dot"><title>{escape(c.name)}</title></circle>')
    for c in communes:
        if c.nis in highlighted:
            x, y = point(c)
            n = highlighted[c.nis]
            label = f"{c.name} : {n} action{'s' if n > 1 else ''}"
            parts.append(f'<a href="/commune/{escape(c.nis)}"><circle cx="{x:.1f}" cy="{y:.1f}" '
                         f'r="{5 + min(n, 10) * 0.6:.1f}" class="dot-on"><title>{escape(label)}</title></circle>'
                         f'<text x="{x + 9:.1f}" y="{y + 4:.1f}" class="map-label">{escape(c.name)}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))
