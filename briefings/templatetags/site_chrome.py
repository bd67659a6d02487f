"""The parts of every page that are the same on every page, rendered once and kept a moment per process.

The footer (the navigation's pages, the controller, the licence) is the same for everyone: it is
rendered once per process and language and kept LOCAL_SECONDS, so a staff edit to the navigation
shows at once in the saving process and within LOCAL_SECONDS elsewhere
(briefings.context_processors.forget_navigation), as the navigation itself does.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from briefings.context_processors import FOOTER_CACHE_KEY, nav_pages
from pausecampaign.local_cache import local_cached
from pausecampaign.notice import controller

register = template.Library()


@register.simple_tag
def site_footer() -> SafeString:
    rendered: dict[str, SafeString] = local_cached(FOOTER_CACHE_KEY, dict)
    language = get_language()
    if language not in rendered:
        context = {"nav_pages": nav_pages(), "CONTROLLER": controller()}
        rendered[language] = render_to_string("includes/site_footer.html", context)
    return rendered[language]
