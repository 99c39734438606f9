"""A small server-rendered SVG bar chart: two series per hour over the last 24 hours. Pure."""
from __future__ import annotations

import datetime as dt
from html import escape

from connector import timefmt

WIDTH, HEIGHT = 720, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 14, 30
COLOURS = ("#2f6fdf", "#1b8a4b")  # records synced, payments written (both >= 4.5:1 on white)


def hours(now: dt.datetime, count: int = 24) -> list[dt.datetime]:
    """The last ``count`` whole hours, oldest first, ending with the current one (UTC)."""
    current = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    return [current - dt.timedelta(hours=count - 1 - index) for index in range(count)]


def per_hour(slots: list[dt.datetime], counts: list[tuple[dt.datetime, int]]) -> list[int]:
    found = {at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0): int(value) for at, value in counts}
    return [found.get(slot, 0) for slot in slots]


def _scale_top(peak: int) -> int:
    for step in (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if peak <= step:
            return step
    return peak


def bars(title: str, slots: list[dt.datetime], series: list[tuple[str, list[int]]], timezone: str | None) -> str:
    """``<figure>`` with the SVG (titled, for screen readers) and a legend with each series' total."""
    top = _scale_top(max([1, *(value for _, values in series for value in values)]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot_w = plot_w / max(1, len(slots))
    bar_w = max(1.0, (slot_w - 4) / max(1, len(series)))
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {WIDTH} {HEIGHT}' width='100%' role='img' "
             f"aria-labelledby='chart-title' id='chart'><title id='chart-title'>{escape(title)}</title>"]
    for fraction in (0, 0.5, 1):
        y = TOP + plot_h * (1 - fraction)
        parts.append(f"<line x1='{LEFT}' x2='{WIDTH - RIGHT}' y1='{y:.1f}' y2='{y:.1f}' stroke='#d0d5dd'/>"
                     f"<text x='{LEFT - 6}' y='{y + 4:.1f}' font-size='11' text-anchor='end' fill='#333'>"
                     f"{round(top * fraction)}</text>")
    for index, slot in enumerate(slots):
        x0 = LEFT + index * slot_w + 2
        for number, (name, values) in enumerate(series):
            value = values[index]
            height = plot_h * value / top
            label = f"{timefmt.hour_label(slot, timezone)}: {value} {name}"
            parts.append(f"<rect class='bar s{number}' x='{x0 + number * bar_w:.1f}' y='{TOP + plot_h - height:.1f}' "
                         f"width='{bar_w:.1f}' height='{height:.1f}' fill='{COLOURS[number % 2]}'>"
                         f"<title>{escape(label)}</title></rect>")
        if index % 3 == 0 or index == len(slots) - 1:
            parts.append(f"<text x='{x0 + slot_w / 2 - 2:.1f}' y='{HEIGHT - 10}' font-size='11' text-anchor='middle' "
                         f"fill='#333'>{escape(timefmt.hour_label(slot, timezone))}</text>")
    parts.append("</svg>")
    legend = "".join(f"<li><span class='swatch' style='background:{COLOURS[number % 2]}'></span>"
                     f"{escape(name)}: <b class='total' data-series='{number}'>{sum(values)}</b> in 24 h</li>"
                     for number, (name, values) in enumerate(series))
    return f"<figure class='chart'>{''.join(parts)}<figcaption><ul class='legend'>{legend}</ul></figcaption></figure>"
