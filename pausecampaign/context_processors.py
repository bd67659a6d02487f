from django.conf import settings
from django.http import HttpRequest

from pausecampaign.ids import parse_source
from pausecampaign.notice import controller


def site(request: HttpRequest) -> dict:
    # src, the campaign link someone arrived by, is carried on to the sign form by every Sign link.
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "CONTROLLER": controller(),
        "source": parse_source(request.GET.get("src", "")) if request else "",
    }
