"""Pages many visitors share, rendered once per process and language and kept a moment.

In a surge most people open one of two pages: the blank sign form (not signed in, no query string)
and the page a confirmation link shows. Each is the same for thousands of visitors but for a few
values: the CSRF token on the form; the signer's name, their own next-step links and their link's
token on the confirmation. A kept page is rendered with a slot where each such value goes, and every
request has its own values put in. A slot is random per process, so no page text can contain one,
and the values go in in one pass, so a value that looked like a slot would stay as typed.

A save of anything a kept page shows (a pledge, its words, a union's position, the navigation's
pages, a news post, a figure, an action step) clears them in the saving process; the others follow
within LOCAL_SECONDS, as the open pledges and the navigation themselves do.

The public pages a shared link brings a crowd to (the home page, a pledge, the counts, the wall,
the briefing pages) are kept whole, for COUNTS_CACHE_SECONDS, as the public counts are: rendering
the counts page costs some 50 ms of CPU, so a crowd reading it would otherwise starve the signing.
Only for a visitor who is not signed in, has no message waiting and brings no query string but a
campaign source, exactly as the page would carry it; never a page that holds a CSRF token or sets a
cookie. A moderator's decision on a signature shows on them within that second.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from briefings.models import Figure, NewsPost, Page, Position
from pausecampaign.ids import parse_source
from pausecampaign.local_cache import forget, local_cached
from pledges.models import ActionStep, Pledge, PledgeVersion

KEPT_PAGES_KEY = "pledges:kept-pages"
PUBLIC_PAGES_KEY = "pledges:kept-public-pages"
MOST_KEPT = 500  # public pages per process at once: a crowd of made-up sources renders afresh, not into memory
_PROCESS = secrets.token_hex(16)


def slot(name: str) -> str:
    """Where one request's own value goes in a kept page."""
    return f"{name}-slot-{_PROCESS}"


TOKEN_SLOT = slot("csrf")


def is_shared(request: HttpRequest) -> bool:
    """This visitor sees what every other visitor without a query string or an account sees."""
    return not request.GET and is_anonymous(request)


def is_anonymous(request: HttpRequest) -> bool:
    """Not signed in, and no message waiting to be shown."""
    # Counted, not shown: they stay for the page that shows them.
    return not request.user.is_authenticated and not len(messages.get_messages(request))


def is_blank(request: HttpRequest) -> bool:
    """The page this visitor would get is the blank form everyone else without a query string gets."""
    return request.method in {"GET", "HEAD"} and is_shared(request)


def kept_page(key: Hashable, render: Callable[[], HttpResponse], values: dict[str, str]) -> HttpResponse:
    """The page kept under `key` (rendered with `render()` the first time), with this request's values in its slots."""
    pages: dict = local_cached(KEPT_PAGES_KEY, dict)
    key = (get_language(), key)
    if key not in pages:
        pages[key] = render().content.decode()
    pattern = re.compile("|".join(re.escape(name) for name in values))
    return HttpResponse(pattern.sub(lambda found: values[found.group()], pages[key]))


def blank_sign_page(request: HttpRequest, render: Callable[[str], HttpResponse]) -> HttpResponse:
    """The blank form with this request's CSRF token; `render(token)` renders the page afresh."""
    return kept_page("sign", lambda: render(TOKEN_SLOT), {TOKEN_SLOT: get_token(request)})


def kept_for_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view's page, kept whole COUNTS_CACHE_SECONDS per process for every visitor who would get the same."""

    @wraps(view)
    def keeping(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        sources = request.GET.getlist("src")
        if (
            request.method not in {"GET", "HEAD"}
            or set(request.GET) - {"src"}
            or any(parse_source(source) != source for source in sources)  # the page may carry it as typed
            or len(sources) > 1
            or not is_anonymous(request)
        ):
            return view(request, *args, **kwargs)
        pages: dict = local_cached(PUBLIC_PAGES_KEY, dict, settings.COUNTS_CACHE_SECONDS)
        key = (get_language(), request.path, parse_source(request.GET.get("src", "")))
        if key in pages:
            content, headers = pages[key]
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds this visitor's token
            and len(pages) < MOST_KEPT
        ):
            pages[key] = (response.content, dict(response.headers))
        return response

    return keeping


def forget_kept_pages(**kwargs) -> None:
    forget(KEPT_PAGES_KEY)  # again once the save commits (local_cache.forget)
    forget(PUBLIC_PAGES_KEY)


for model in (Pledge, PledgeVersion, Position, Page, NewsPost, Figure, ActionStep):
    for signal in (post_save, post_delete):
        signal.connect(forget_kept_pages, sender=model, dispatch_uid=f"forget_kept_pages_{model.__name__}")
m2m_changed.connect(forget_kept_pages, sender=ActionStep.pledges.through, dispatch_uid="forget_kept_pages_steps")
