"""Union positions as data: the unions page's table, the home page's timeline, the stance shown where people sign."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from briefings.models import UNION_CODES, Position
from pledges.models import Union


def table() -> SafeString:
    return mark_safe(render_to_string("briefings/positions.html", {"positions": Position.objects.all()}))


def latest(limit: int = 5) -> list[Position]:
    return list(Position.objects.order_by("-date", "-id")[:limit])


def current_by_union() -> list[dict]:
    """Each union's most recent position, joint statements included, for the sign form."""
    positions = list(Position.objects.exclude(union="").order_by("-date", "-id"))
    found = []
    for code in UNION_CODES:
        position = next((p for p in positions if code in p.union_codes), None)
        if position:
            found.append({"union": Union(code).label, "position": position})
    return found
