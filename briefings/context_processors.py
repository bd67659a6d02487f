from django.core.cache import cache
from django.http import HttpRequest

from briefings.models import Page

NAV_CACHE_KEY = "briefings:nav"


def navigation(request: HttpRequest) -> dict:
    """Published pages that staff placed in the navigation (cached briefly; cleared on every save)."""
    pages = cache.get(NAV_CACHE_KEY)
    if pages is None:
        pages = list(
            Page.objects.published().filter(nav_position__isnull=False).order_by("nav_position").values("slug", "title")
        )
        cache.set(NAV_CACHE_KEY, pages, 60)
    return {"nav_pages": pages}
