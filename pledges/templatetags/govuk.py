"""Helpers for rendering Django forms in GOV.UK Design System patterns, and public numbers."""

from django import forms, template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def field_kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.filter
def error_anchor(field) -> str:
    """Where the error summary links: the first control of the field."""
    if field_kind(field) in {"radios", "checkboxes"}:
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def figure(value, style: str = "") -> str:
    """A public number, or the words for one suppressed by the disclosure control (pledges.disclosure)."""
    if value is None:
        return "–" if style == "short" else "withheld"
    return intcomma(value)


@register.filter
def machine_time(value) -> str:
    """A <time datetime> value HTML accepts: whole seconds (the spec allows three decimal places at most)."""
    if not value:
        return ""
    return value.replace(microsecond=0).isoformat()
