from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

from briefings.models import Page
from pausecampaign.local_cache import forget, local_cached

NAV_CACHE_KEY = "briefings:nav"
FOOTER_CACHE_KEY = "briefings:footer"  # the footer as rendered, per language (templatetags/site_chrome.py)
HEADER_CACHE_KEY = "briefings:header"  # the header as rendered, per language, page and signed-in state


def navigation(request: HttpRequest) -> dict:
    """Published pages that staff placed in the navigation.

    On every page, so kept a moment in each process as well as for a minute in the shared cache;
    a save clears both in the saving process, and the other processes follow within LOCAL_SECONDS.
    """
    return {"nav_pages": nav_pages()}


def nav_pages() -> list[dict]:
    return local_cached(NAV_CACHE_KEY, shared_navigation)


def forget_navigation() -> None:
    """The shared copy now, and again once the staff member's save commits: a page shown in between
    would have read the old pages back into it for a minute. The process's own copies the same way
    (local_cache.forget)."""
    cache.delete(NAV_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(NAV_CACHE_KEY))
    forget(NAV_CACHE_KEY)
    forget(FOOTER_CACHE_KEY)
    forget(HEADER_CACHE_KEY)


def shared_navigation() -> list[dict]:
    pages = cache.get(NAV_CACHE_KEY)
    if pages is None:
        pages = list(
            Page.objects.published().filter(nav_position__isnull=False).order_by("nav_position").values("slug", "title")
        )
        cache.set(NAV_CACHE_KEY, pages, 60)
    return pages
