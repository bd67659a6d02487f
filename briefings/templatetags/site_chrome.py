"""The parts every page shares, rendered once and kept a moment per process.

The footer (the navigation's pages, the controller, the licence) is the same for everyone: it is
rendered once per process and language. The header differs only by which link is the current page
and whether the visitor is signed in: it is rendered once per process, language, current page and
signed-in state (a link carrying a campaign source, `?src=`, is rendered afresh). Both are kept
LOCAL_SECONDS, so a staff edit to the navigation shows at once in the saving process and within
LOCAL_SECONDS elsewhere (briefings.context_processors.forget_navigation), as the navigation itself
does.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from briefings.context_processors import FOOTER_CACHE_KEY, HEADER_CACHE_KEY, nav_pages
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


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    request = context.get("request")
    user = context.get("user")
    match = getattr(request, "resolver_match", None)
    pages = nav_pages()
    path = getattr(request, "path", "")
    values = {
        "SITE_NAME": context.get("SITE_NAME", ""),
        "nav_pages": pages,
        "url_name": (match.url_name if match else "") or "",
        # Only a page in the header's navigation is marked as current by its path.
        "current_path": path if any(path == f"/{page['slug']}/" for page in pages[:2]) else "",
        "authenticated": bool(user is not None and user.is_authenticated),
        "source": context.get("source", ""),
    }
    if values["source"]:
        return render_to_string("includes/site_header.html", values)
    rendered: dict[tuple, SafeString] = local_cached(HEADER_CACHE_KEY, dict)
    key = (get_language(), values["url_name"], values["current_path"], values["authenticated"])
    if key not in rendered:
        rendered[key] = render_to_string("includes/site_header.html", values)
    return rendered[key]
