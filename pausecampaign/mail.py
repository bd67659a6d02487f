"""Rendering email: subjects and plain text without HTML escaping, HTML with it."""

from __future__ import annotations

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
