from django.contrib import admin
from django.urls import include, path

from pausecampaign.health import healthz
from pledges.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("pledges.urls")),
    path("accounts/", include("allauth.urls")),
    # Every /admin/ page, its login included, is behind AdminRequiresSecondFactorMiddleware.
    path("admin/", admin.site.urls),
]
