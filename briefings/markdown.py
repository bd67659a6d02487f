"""Markdown written by staff, rendered to HTML that cannot run script."""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from briefings import positions
from briefings.models import Figure
from pausecampaign.notice import block

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4", "hr", "li", "ol",
    "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "span": {"class"}}
FIGURE = re.compile(r"\[\[figure:([a-z0-9_-]+)\]\]")
# "#PauseOfsted" starting a line, a list item or a quotation is a tag, not a heading.
HASHTAG_AT_LINE_START = re.compile(r"^([ \t]{0,3}(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*)*)#(?=[^#\s])", re.M)


def with_figures(text: str, figures: dict) -> tuple[str, list]:
    """Swap [[figure:key]] for the stored value; return the text and the figures used, in order."""
    used: list = []

    def swap(match: re.Match) -> str:
        figure = figures.get(match.group(1))
        if figure is None:
            return "[missing figure]"
        if figure not in used:
            used.append(figure)
        number = used.index(figure) + 1
        link = f'<a href="#source-{number}"><span class="visually-hidden">source </span>{number}</a>'
        return f"{escape(figure.value)}<sup>{link}</sup>"

    return FIGURE.sub(swap, text), used


def render(text: str, figures: dict | None = None) -> tuple[SafeString, list]:
    figures = figures if figures is not None else {f.key: f for f in Figure.objects.all()}
    text, used = with_figures(text, figures)
    text = HASHTAG_AT_LINE_START.sub(r"\1\\#", text)
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(with_blocks(scrollable_tables(clean))), used


def scrollable_tables(html: str) -> str:
    """A staff table scrolls in its own region on a small screen, as the site's own tables do."""
    label = escape(gettext("Table"))
    return html.replace(
        "<table>", f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}"><table class="table">'
    ).replace("</table>", "</table></div>")


# A block stands alone in its paragraph: never inside a link, a title or code.
BLOCK = re.compile(r"<p>\[\[(controller|retention|positions)\]\]</p>")


def with_blocks(html: str) -> str:
    """Swap [[controller]] and [[retention]] for blocks built from settings (pausecampaign.notice).

    Done after sanitising: the blocks are our own templates, and carry a table and a
    list the staff Markdown may not.
    """

    def swap(match: re.Match) -> str:
        name = match.group(1)
        return str(positions.table() if name == "positions" else block(name) or "")

    return BLOCK.sub(swap, html)
