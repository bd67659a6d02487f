"""The request pipeline's guards, in the order settings.MIDDLEWARE runs them: security headers and
framing, a request id for the logs, forwarding headers only from trusted proxies, no-store on private
pages, the body-size limit (413), NUL bytes refused (400), a friendly 503 when the database is away,
and the admin's second factor with its idle and absolute timeouts."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from urllib.parse import quote

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from pausecampaign.client_ip import from_trusted_proxy
from pausecampaign.logs import request_id

log = logging.getLogger(__name__)
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors {ancestors}",
    ]
)


def allow_framing(view: Callable) -> Callable:
    """Mark a view as embeddable on partner sites (the only framed route)."""
    view.allow_framing = True  # type: ignore[attr-defined]
    return view


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> None:
        request.allow_framing = getattr(view, "allow_framing", False)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        framed = getattr(request, "allow_framing", False)
        response.setdefault("Content-Security-Policy", CSP.format(ancestors="*" if framed else "'none'"))
        if framed:
            # Read by XFrameOptionsMiddleware, which sees the response after us.
            response.xframe_options_exempt = True
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        return response


class RequestIdMiddleware:
    """A request id on every log line of a request, and on its response (X-Request-ID).

    Taken from the trusted proxy when it sends one (so proxy and app logs join up),
    otherwise made here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "") if from_trusted_proxy(request) else ""
        value = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response


class DropUntrustedProxyHeadersMiddleware:
    """Forwarding headers mean something only when a proxy the operator named wrote them.

    From anyone else they are the client's own claims: removed before anything
    (SecurityMiddleware's is_secure(), allauth's rate limits, our client_ip) reads them.
    """

    HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_REAL_IP")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not from_trusted_proxy(request):
            for header in self.HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages for one person are never kept by a browser, a proxy or a CDN.

    That is every page behind a secret link (any route with a `token` in its address),
    every account and admin page, and every page shown to someone signed in.
    """

    PREFIXES = ("/accounts/", "/admin/", "/my/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (
            (match is not None and "token" in match.kwargs)
            or request.path.startswith(self.PREFIXES)
            or (user is not None and user.is_authenticated)
        ):
            add_never_cache_headers(response)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a body larger than REQUEST_BODY_MAX with a 413 before anything reads it.

    Django's own limits count form fields only: a 50 MB file part would be read and
    spooled to disk. The site takes no files anywhere, so one limit covers every body.
    (A body without Content-Length is read as empty by Django's WSGI handler.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > settings.REQUEST_BODY_MAX:
            body = render_to_string("400.html", request=None)
            return HttpResponse(body, status=413 if length > 0 else 400)
        return self.get_response(request)


class RejectNullBytesMiddleware:
    """A NUL byte in the address, a query parameter, a form field or a cookie is never meant: 400 before any view.

    PostgreSQL refuses NUL in text, so such a value reaching a query would be a 500,
    and a view may query with a field before its form validates it (the school search).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        values = [request.path, *request.COOKIES.values()]
        values += [value for _, items in request.GET.lists() for value in items]
        if request.method == "POST":
            values += [value for _, items in request.POST.lists() for value in items]
            values += list(request.POST)
        if any("\x00" in value for value in values):
            body = render_to_string("400.html", request=request)
            return HttpResponse(body, status=400)
        return self.get_response(request)


class ServiceUnavailableMiddleware:
    """Turn a lost database connection into a plain 503 page that asks people to retry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.warning("database unavailable: %s", exception)
        body = render_to_string("503.html", request=None)
        return HttpResponse(body, status=503, headers={"Retry-After": "10"})


class AdminRequiresSecondFactorMiddleware:
    """No page under /admin/ opens until the staff member has used a second factor in this session.

    The admin's own login form is never shown: /admin/ sends people to allauth's
    login, which asks for the TOTP code of anyone who has one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/admin/"):
            blocked = self.check(request)
            if blocked is not None:
                return blocked
        return self.get_response(request)

    LAST_SEEN = "admin_last_seen"

    def check(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={quote(request.get_full_path())}")
        if not (user.is_staff or user.is_superuser):
            raise PermissionDenied
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return redirect(f"{reverse('mfa_activate_totp')}?next={quote(request.get_full_path())}")
        used = [r.get("at", 0) for r in get_authentication_records(request, user) if r.get("method") == "mfa"]
        now = time.time()
        if not used or now - max(used) > settings.ADMIN_SECOND_FACTOR_MAX_AGE.total_seconds():
            # Once a working day: an admin session is not good for a fortnight on one code.
            return redirect(f"{reverse('mfa_reauthenticate')}?next={quote(request.get_full_path())}")
        last_seen = request.session.get(self.LAST_SEEN, now)
        if now - last_seen > settings.ADMIN_IDLE_TIMEOUT.total_seconds():
            # Left open on a shared computer: sign out, and start again with both factors.
            logout(request)
            return redirect(f"{reverse('account_login')}?next={quote(request.get_full_path())}")
        request.session[self.LAST_SEEN] = now
        return None
