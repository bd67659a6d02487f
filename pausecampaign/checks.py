"""Deployment checks of our own, run by `manage.py check --deploy` beside Django's."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def site_url_is_public_https(app_configs, **kwargs) -> list[Error]:
    site = urlsplit(settings.SITE_URL)
    errors = []
    if site.scheme != "https":
        errors.append(
            Error(
                "SITE_URL is not an https:// address, so every emailed link would send people to an insecure site.",
                hint="Set SITE_URL to the public https address, e.g. https://pauseofsted.org",
                id="pausecampaign.E001",
            )
        )
    if site.hostname in {"127.0.0.1", "localhost", "::1"}:
        errors.append(
            Error(
                "SITE_URL points at this machine, so no emailed link would work for anyone else.",
                hint="Set SITE_URL to the public address people reach the site at.",
                id="pausecampaign.E002",
            )
        )
    return errors
