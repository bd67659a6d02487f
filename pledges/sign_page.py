"""The blank sign form, rendered once per process and language and kept LOCAL_SECONDS.

The page most people open in a surge is the same for every visitor who is not signed in and comes
without a chosen pledge or a campaign source (no query string): only its CSRF token differs. It is
rendered with a placeholder where the token goes, and each request has its own token put in, with
the cookie that goes with it. A save of anything the page shows (a pledge, its words, a union's
position, the navigation's pages) clears it in the saving process; the others follow within
LOCAL_SECONDS, as the open pledges and the navigation themselves do.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.contrib import messages
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from briefings.models import Page, Position
from pausecampaign.local_cache import forget, local_cached
from pledges.models import Pledge, PledgeVersion

SIGN_PAGE_KEY = "pledges:blank-sign-page"
# Where each request's token goes: random per process, so no page text can contain it.
TOKEN_SLOT = f"csrf-slot-{secrets.token_hex(16)}"


def is_blank(request: HttpRequest) -> bool:
    """The page this visitor would get is the blank form everyone else without a query string gets."""
    return (
        request.method in {"GET", "HEAD"}
        and not request.GET
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))  # counted, not shown: they stay for the page that shows them
    )


def blank_sign_page(request: HttpRequest, render: Callable[[str], HttpResponse]) -> HttpResponse:
    """The blank form with this request's CSRF token; `render(token)` renders the page afresh."""
    pages: dict[str, str] = local_cached(SIGN_PAGE_KEY, dict)
    language = get_language()
    if language not in pages:
        pages[language] = render(TOKEN_SLOT).content.decode()
    return HttpResponse(pages[language].replace(TOKEN_SLOT, get_token(request)))


def forget_sign_page(**kwargs) -> None:
    forget(SIGN_PAGE_KEY)  # again once the save commits (local_cache.forget)


for model in (Pledge, PledgeVersion, Position, Page):
    for signal in (post_save, post_delete):
        signal.connect(forget_sign_page, sender=model, dispatch_uid=f"forget_sign_page_{model.__name__}")
