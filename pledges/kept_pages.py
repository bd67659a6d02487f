"""Pages many visitors share, rendered once per process and language and kept LOCAL_SECONDS.

In a surge most people open one of two pages: the blank sign form (not signed in, no query string)
and the page a confirmation link shows. Each is the same for thousands of visitors but for a few
values: the CSRF token on the form; the signer's name, their own next-step links and their link's
token on the confirmation. A kept page is rendered with a slot where each such value goes, and every
request has its own values put in. A slot is random per process, so no page text can contain one,
and the values go in in one pass, so a value that looked like a slot would stay as typed.

A save of anything a kept page shows (a pledge, its words, a union's position, the navigation's
pages, an action step) clears them in the saving process; the others follow within LOCAL_SECONDS,
as the open pledges and the navigation themselves do.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable

from django.contrib import messages
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from briefings.models import Page, Position
from pausecampaign.local_cache import forget, local_cached
from pledges.models import ActionStep, Pledge, PledgeVersion

KEPT_PAGES_KEY = "pledges:kept-pages"
_PROCESS = secrets.token_hex(16)


def slot(name: str) -> str:
    """Where one request's own value goes in a kept page."""
    return f"{name}-slot-{_PROCESS}"


TOKEN_SLOT = slot("csrf")


def is_shared(request: HttpRequest) -> bool:
    """This visitor sees what every other visitor without a query string or an account sees."""
    return (
        not request.GET
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))  # counted, not shown: they stay for the page that shows them
    )


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


def forget_kept_pages(**kwargs) -> None:
    forget(KEPT_PAGES_KEY)  # again once the save commits (local_cache.forget)


for model in (Pledge, PledgeVersion, Position, Page, ActionStep):
    for signal in (post_save, post_delete):
        signal.connect(forget_kept_pages, sender=model, dispatch_uid=f"forget_kept_pages_{model.__name__}")
m2m_changed.connect(forget_kept_pages, sender=ActionStep.pledges.through, dispatch_uid="forget_kept_pages_steps")
