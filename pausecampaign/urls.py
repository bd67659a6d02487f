from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from briefings.sitemaps import SITEMAPS
from briefings.views import robots
from pausecampaign.health import healthz
from pledges.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("accounts/", include("allauth.urls")),
    # Every /admin/ page, its login included, is behind AdminRequiresSecondFactorMiddleware.
    path("admin/", admin.site.urls),
    path("", include("pledges.urls")),
    path("", include("briefings.urls")),
]

if settings.BENCH_CEILINGS:
    from pausecampaign import bench_views

    urlpatterns = [
        path("bench/read-one-key", bench_views.read_one_key),
        path("bench/insert-one-row", bench_views.insert_one_row),
        *urlpatterns,
    ]
