from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from briefings.markdown import render as render_markdown
from briefings.models import NewsPost, Page
from pledges.kept_pages import kept_for_visitors


def show(request: HttpRequest, template: str, obj, **context) -> HttpResponse:
    body, sources = render_markdown(obj.body)
    return render(request, template, {"object": obj, "body": body, "sources": sources, **context})


@require_safe
@kept_for_visitors
def page(request: HttpRequest, slug: str) -> HttpResponse:
    return show(request, "briefings/page.html", get_object_or_404(Page.objects.published(), slug=slug))


class NewsList(ListView):
    template_name = "briefings/news_list.html"
    paginate_by = 20
    context_object_name = "posts"

    def get_queryset(self):
        return NewsPost.objects.published()


@require_safe
@kept_for_visitors
def news_post(request: HttpRequest, date: datetime.date, slug: str) -> HttpResponse:
    post = NewsPost.objects.published().filter(slug=slug, publish_at__date=date).first()
    if post is None:
        raise Http404
    return show(request, "briefings/news_post.html", post)


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = "#PauseOfsted news"
    link = "/news/"
    subtitle = "Updates from the campaign to pause Ofsted inspection until accountability is reviewed."

    def items(self):
        return NewsPost.objects.published()[:30]

    def item_title(self, item: NewsPost) -> str:
        return item.title

    def item_description(self, item: NewsPost) -> str:
        return render_markdown(item.body)[0]

    def item_pubdate(self, item: NewsPost):
        return item.publish_at

    def item_updateddate(self, item: NewsPost):
        return item.updated_at


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /my/",
        "Disallow: /my-signature/",
        "Disallow: /confirm/",
        "Disallow: /embed/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
