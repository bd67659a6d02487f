from django.urls import path, register_converter

from briefings import views
from briefings.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

app_name = "briefings"

urlpatterns = [
    path("news/", views.NewsList.as_view(), name="news"),
    path("news/feed/", views.NewsFeed(), name="news_feed"),
    path("news/<isodate:date>/<slug:slug>/", views.news_post, name="news_post"),
    # Last: any other single-segment address may be a staff page.
    path("<slug:slug>/", views.page, name="page"),
]
