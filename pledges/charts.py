"""Geometry for the counts page's pictures: the tile map of England's regions and the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pledges.aggregates import by_day, cumulative
from pledges.models import Pledge

LONDON = ZoneInfo("Europe/London")

# Where each region sits on the site's tile map of England: (column, row).
TILES = {
    "A": (2, 0),
    "B": (1, 1),
    "D": (2, 1),
    "F": (1, 2),
    "E": (2, 2),
    "G": (3, 2),
    "K": (0, 3),
    "J": (1, 3),
    "H": (2, 3),
}

# Each tile's label in at most two short lines, so it stays readable when the map shrinks to a phone.
LABEL_LINES = {
    "A": ["North", "East"],
    "B": ["North", "West"],
    "D": ["Yorkshire", "& Humber"],
    "E": ["East", "Midlands"],
    "F": ["West", "Midlands"],
    "G": ["East of", "England"],
    "H": ["London"],
    "J": ["South", "East"],
    "K": ["South", "West"],
}
TILE_WIDTH, TILE_HEIGHT, GAP = 124, 110, 6
MAP_WIDTH = 4 * (TILE_WIDTH + GAP) + GAP - 2
MAP_HEIGHT = 4 * (TILE_HEIGHT + GAP) + GAP - 2

SHADES = ["#e8eef6", "#b9cbe3", "#7f9fc9", "#3f6aa3", "#1d3557"]


def region_map(regions: list[dict]) -> list[dict]:
    peak = max([r["count"] or 0 for r in regions] or [0]) or 1
    tiles = []
    for region in regions:
        if region["code"] not in TILES:
            continue
        column, row = TILES[region["code"]]
        count = region["count"] or 0
        level = 1 if region.get("suppressed") else (0 if not count else min(4, 1 + int(3 * count / peak)))
        x = column * (TILE_WIDTH + GAP) + GAP - 1
        tiles.append(
            {
                **region,
                "lines": LABEL_LINES[region["code"]],
                "x": x,
                "y": row * (TILE_HEIGHT + GAP) + GAP - 1,
                "width": TILE_WIDTH,
                "height": TILE_HEIGHT,
                "middle": x + TILE_WIDTH // 2,
                "fill": SHADES[level],
                "text": "#ffffff" if level >= 3 else "#0b0c0c",
            }
        )
    return tiles


def schools_map(by_region: list[dict]) -> dict:
    """The tile map for a table of schools by region (rows with code, name, schools, suppressed)."""
    rows = [
        {"code": r["code"], "region": r["name"], "count": r["schools"], "suppressed": r["suppressed"]}
        for r in by_region
    ]
    return {"tiles": region_map(rows), "width": MAP_WIDTH, "height": MAP_HEIGHT}


def timeline(pledge: Pledge, width: int = 600, height: int = 180) -> dict:
    points = cumulative(by_day(pledge))
    if not points:
        return {}
    first, last = points[0]["date"], points[-1]["date"]
    span = max((last - first).days, 1)
    peak = points[-1]["total"] or 1
    coords = [
        (
            round(40 + (width - 50) * (p["date"] - first).days / span),
            round(height - 20 - (height - 40) * p["total"] / peak),
        )
        for p in points
    ]
    return {
        "points": " ".join(f"{x},{y}" for x, y in coords),
        "first": first,
        "last": last,
        "peak": peak,
        "width": width,
        "height": height,
        "rows": points[-14:],
    }


def daily_bars(series: dict[str, dict], days: list, width: int = 640, height: int = 220) -> list[dict]:
    """One bar chart per pledge of confirmations per day, on a shared scale, with both axes labelled."""
    left, right, top, bottom = 56, width - 10, 16, height - 40
    peak = max([n for counts in series.values() for n in counts.values()] or [1])
    step = (right - left) / max(len(days), 1)
    ticks = sorted({0, (peak + 1) // 2, peak})
    charts = []
    for title, counts in series.items():
        bars = []
        for i, day in enumerate(days):
            n = counts.get(day, 0)
            bar_height = round((bottom - top) * n / peak)
            bars.append(
                {"day": day, "n": n, "x": round(left + i * step + 1), "top": bottom - bar_height, "height": bar_height}
            )
        charts.append(
            {
                "title": title,
                "width": width,
                "height": height,
                "bar_width": max(round(step) - 2, 1),
                "bars": bars,
                "axis": {"left": left, "right": right, "top": top, "bottom": bottom},
                "y_ticks": [{"value": t, "y": bottom - round((bottom - top) * t / peak)} for t in ticks],
                "x_labels": [
                    {"day": bar["day"], "x": bar["x"] + max(round(step) - 2, 1) // 2}
                    for i, bar in enumerate(bars)
                    # Every seventh day and the last, never two labels on top of each other.
                    if (i % 7 == 0 and len(bars) - 1 - i >= 4) or i == len(bars) - 1
                ],
            }
        )
    return charts


def ledger_chart(points: list[dict], width: int = 600, height: int = 180) -> dict:
    """Two lines, unavailable and resigned, week by week (withheld weeks draw as zero)."""
    if len(points) < 2:
        return {}
    peak = max([p[name] or 0 for p in points for name in ("unavailable", "resigned")] or [0]) or 1
    step = (width - 50) / (len(points) - 1)

    def line(name: str) -> str:
        return " ".join(
            f"{round(40 + i * step)},{round(height - 20 - (height - 40) * (p[name] or 0) / peak)}"
            for i, p in enumerate(points)
        )

    return {
        "width": width,
        "height": height,
        "peak": peak,
        "first": points[0]["week_ending"],
        "last": points[-1]["week_ending"],
        "unavailable": line("unavailable"),
        "resigned": line("resigned"),
    }


def hourly_bars(
    hours: list[dict], now: datetime | None = None, days: int = 7, width: int = 600, height: int = 140
) -> dict:
    """The last 7 days as 168 hourly slots on a time axis (empty hours at zero), labelled each London midnight."""
    if not hours:
        return {}
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    slots = [now - timedelta(hours=h) for h in range(days * 24 - 1, -1, -1)]
    counts = {datetime.fromisoformat(h["hour"]).astimezone(UTC): h["count"] for h in hours}
    peak = max(counts.values()) or 1
    step = (width - 50) / len(slots)
    bars, labels = [], []
    for i, slot in enumerate(slots):
        at = slot.astimezone(LONDON)
        x = round(40 + i * step, 1)
        n = counts.get(slot, 0)
        if n:
            bar = round((height - 40) * n / peak)
            shown = f"{at:%a %-d %b}, {at:%H:%M} ({at.tzname()})"
            bars.append({"x": x, "top": height - 20 - bar, "height": bar, "shown": shown, "count": n})
        if at.hour == 0:
            labels.append({"x": x, "day": f"{at:%a %-d}"})
    return {"width": width, "height": height, "peak": peak, "bars": bars, "labels": labels, "bar_width": max(step, 2)}
