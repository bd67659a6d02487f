"""Union positions as data: the unions page's table, the home page's timeline, the stance shown where people sign."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from briefings.models import Position

SIGN_FORM_UNIONS = ["neu", "naht", "ascl", "nasuwt"]


def table() -> SafeString:
    return mark_safe(render_to_string("briefings/positions.html", {"positions": Position.objects.all()}))


def latest(limit: int = 5) -> list[Position]:
    return list(Position.objects.order_by("-date")[:limit])


def current_by_union() -> list[Position]:
    """Each union's most recent position, for the sign form."""
    found = []
    for code in SIGN_FORM_UNIONS:
        position = Position.objects.filter(union=code).order_by("-date").first()
        if position:
            found.append(position)
    return found
