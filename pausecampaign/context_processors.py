from django.conf import settings
from django.http import HttpRequest

from pausecampaign.notice import controller


def site(request: HttpRequest) -> dict:
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, "CONTROLLER": controller()}
