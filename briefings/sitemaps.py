from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from briefings.models import NewsPost, Page
from pledges.models import Pledge


class PageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Page.objects.published()

    def lastmod(self, item: Page):
        return item.updated_at


class NewsSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return NewsPost.objects.published()

    def lastmod(self, item: NewsPost):
        return item.updated_at


class FixedSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return [
            "home",
            "pledges:sign",
            "pledges:counts",
            "pledges:wall",
            "pledges:resolutions",
            "pledges:constituencies",
            "pledges:record_resolution",
            "pledges:api_docs",
            "briefings:news",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class PledgeSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Pledge.objects.public()

    def location(self, item: Pledge) -> str:
        return reverse("pledges:pledge", args=[item.slug])


SITEMAPS = {"fixed": FixedSitemap, "pledges": PledgeSitemap, "pages": PageSitemap, "news": NewsSitemap}
