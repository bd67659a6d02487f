"""Rendering email: subjects and plain text without HTML escaping, HTML with it."""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.template import TemplateDoesNotExist, engines
from django.template.loader import render_to_string


def render_text(template: str, context: dict) -> str:
    """A subject or plain-text body: rendered by the "text" engine, which escapes nothing."""
    return engines["text"].get_template(template).render(context)


def render_subject(template: str, context: dict) -> str:
    return " ".join(render_text(template, context).split())


def render_html(template: str, context: dict) -> str:
    try:
        return render_to_string(template, context, using="django")
    except TemplateDoesNotExist:
        return ""


WIDTH = 78


def wrap_text(text: str, width: int = WIDTH) -> str:
    """Plain text wrapped at 78 columns (RFC 5322's advice); a long link is left whole so it still works."""
    lines = []
    for line in text.splitlines():
        if len(line) <= width:
            lines.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        lines.extend(
            textwrap.wrap(
                line,
                width=width,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


HREF = re.compile(r'(\s(?:href|src)=")([^"]*)"')


def absolute_links(html: str, base: str) -> str:
    """Links in an email must work from a mail client: /open-letter/, open-letter/, ?x=1 and
    //host/a are all made absolute against the site; mailto: and full addresses are left alone."""

    def fix(match: re.Match) -> str:
        href = match.group(2)
        if href.startswith(("http://", "https://", "mailto:")) or not href:
            return match.group(0)
        return f'{match.group(1)}{urljoin(base.rstrip("/") + "/", href)}"'

    return HREF.sub(fix, html)


class _TextWriter(HTMLParser):
    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "blockquote", "pre", "table", "tr", "ul", "ol", "dl", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.parts.append("\x00")  # where the link text starts

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href = self.links.pop()
            start = len(self.parts) - 1 - self.parts[::-1].index("\x00")
            label = "".join(self.parts[start + 1 :])
            self.parts[start:] = [label if not href or href == label or href.startswith("#") else f"{label} ({href})"]
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(" ".join(data.split("\n")))

    def text(self) -> str:
        joined = "".join(self.parts).replace("\x00", "")
        lines = [" ".join(line.split()) for line in joined.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """The plain-text twin of an HTML email body: paragraphs, list items, and links written out."""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    return writer.text()


SECRET_PATHS = ("confirm", "my-signature", "actions", "unsubscribe", "email-preferences", "invitations", "accounts")
SECRET_LINK = re.compile(r"https?://[^\s\"'<>]+/(?:" + "|".join(SECRET_PATHS) + r")/[^\s\"'<>]*")
SIGN_IN_CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")
REMOVED = "[removed after sending]"


def redact_secrets(text: str) -> str:
    """A sent email's body without the links and codes that would let someone act as its reader."""
    return SIGN_IN_CODE.sub(REMOVED, SECRET_LINK.sub(REMOVED, text))
