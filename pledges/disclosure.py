"""Disclosure control: no public figure counts so few people or schools that it points to someone.

As official statistics do: a cell below DISCLOSURE_THRESHOLD (default 3) but above zero
is suppressed: "withheld" on pages and in CSV, null in JSON. When one cell of a
table with a published total is suppressed, the next smallest goes too, so the total
minus the others cannot give it away. A daily series carries small days forward into
the next, so a cumulative chart never steps by fewer than the threshold.
"""

from __future__ import annotations

from django.conf import settings


def threshold() -> int:
    return settings.DISCLOSURE_THRESHOLD


def is_small(value: int) -> bool:
    return 0 < value < threshold()


def suppress(values: list[int], *, with_total: bool = True) -> list[int | None]:
    """Cells under the threshold become None. With a published total, the hidden cells are never
    pinned down by it: never exactly one of them (the total minus the others would be that cell),
    and never a set whose total equals their number (a withheld cell is at least 1, so each would be
    exactly 1). More cells are withheld, smallest first, until neither holds; if none is left to
    withhold, the whole table is."""
    hidden = [is_small(v) for v in values]
    if with_total:
        while any(hidden) and (
            sum(hidden) == 1 or sum(v for v, h in zip(values, hidden, strict=True) if h) <= sum(hidden)
        ):
            others = [(v, i) for i, v in enumerate(values) if not hidden[i] and v > 0]
            if not others:
                # Every other cell is 0 (or hidden): the total would give them away. Withhold the whole table.
                return [None] * len(values)
            hidden[min(others)[1]] = True
    return [None if h else v for v, h in zip(values, hidden, strict=True)]


def suppress_rows(
    rows: list[dict], key: str, *, with_total: bool = True, always: list[bool] | None = None
) -> list[dict]:
    """The same for a table of dicts: row[key] becomes None and row["suppressed"] True where hidden.

    `always` marks rows withheld whatever their value (say, a region with one open school,
    where any count at all would say that school has a signer).
    """
    values = suppress([row[key] or 0 for row in rows], with_total=with_total)
    if always:
        values = [None if hide else v for v, hide in zip(values, always, strict=True)]
    return [{**row, key: value, "suppressed": value is None} for row, value in zip(rows, values, strict=True)]


def carry_forward(days: list[dict], key: str = "count") -> list[dict]:
    """A daily series in which every published day has at least the threshold (the rest wait for the next)."""
    out, carried = [], 0
    for day in days:
        carried += day[key]
        if carried >= threshold():
            out.append({**day, key: carried})
            carried = 0
    return out
