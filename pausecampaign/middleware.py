"""Response headers every page carries, and a friendly 503 when the database is away."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import quote

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse

log = logging.getLogger(__name__)

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


class RejectNullBytesMiddleware:
    """A NUL byte in the address, a query parameter or a cookie is never meant: answer 400 before any view.

    PostgreSQL refuses NUL in text, so such a value reaching a query would be a 500.
    (Form fields are already refused by Django's own validators.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        values = [request.path, *request.COOKIES.values()]
        values += [value for _, items in request.GET.lists() for value in items]
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

    def check(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={quote(request.get_full_path())}")
        if not (user.is_staff or user.is_superuser):
            raise PermissionDenied
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return redirect(f"{reverse('mfa_activate_totp')}?next={quote(request.get_full_path())}")
        if not any(r.get("method") == "mfa" for r in get_authentication_records(request, user)):
            return redirect(f"{reverse('mfa_reauthenticate')}?next={quote(request.get_full_path())}")
        return None
