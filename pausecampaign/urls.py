from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from briefings.sitemaps import SITEMAPS
from briefings.views import robots
from pausecampaign import health
from pledges.views import account
from pledges.views.public import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", health.ready, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("robots.txt", robots, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # An account holds only the addresses its owner proved by confirming a signature:
    # allauth's page for adding addresses by hand is replaced before it can be reached.
    path("accounts/email/", account.email_addresses, name="account_email"),
    path("accounts/", include("allauth.urls")),
    # Every /admin/ page, its login included, is behind AdminRequiresSecondFactorMiddleware.
    path("admin/", admin.site.urls),
    path("", include("pledges.urls")),
    path("", include("briefings.urls")),
]

if settings.BENCH_CEILINGS:
    from pausecampaign import bench_views  # only mounted for `make bench`: never imported in production

    urlpatterns = [
        path("bench/read-one-key", bench_views.read_one_key),
        path("bench/insert-one-row", bench_views.insert_one_row),
        *urlpatterns,
    ]
