from django.urls import include, path

from pledges import account_views, api, public_views, views

app_name = "pledges"

urlpatterns = [
    path("sign/", views.sign, name="sign"),
    path("sign/check-your-email/", views.check_email, name="check_email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("confirm-link/resend/", views.resend, name="resend"),
    path("my-signature/<str:token>/", views.manage, name="manage"),
    path("schools/search/", views.school_search, name="school_search"),
    path("my/pledges/", account_views.my_pledges, name="my_pledges"),
    path("my/pledges/<int:pk>/appearance/", account_views.change_appearance, name="change_appearance"),
    path("my/pledges/<int:pk>/withdraw/", account_views.withdraw, name="withdraw"),
    path("my/details/", account_views.my_details, name="my_details"),
    path("my/union/withdraw/", account_views.withdraw_union, name="withdraw_union"),
    path("my/emails/", account_views.email_choices, name="email_choices"),
    path("my/data/", account_views.my_data, name="my_data"),
    path("my/data/download/", account_views.download_data, name="download_data"),
    path("my/data/erase/", account_views.erase, name="erase"),
    path("counts/", public_views.counts_page, name="counts"),
    path("pledges/<slug:slug>/", public_views.pledge_page, name="pledge"),
    path("pledges/<slug:slug>/share.png", public_views.share_image, name="share_image"),
    path("wall/", public_views.wall, name="wall"),
    path("embed/<slug:slug>/", public_views.embed, name="embed"),
    path("embed.js", public_views.embed_script, name="embed_script"),
    path("", include("pledges.action_plan.urls")),
    path("api/", api.docs, name="api_docs"),
    path("api/v1/counts", api.counts, name="api_counts"),
    path("api/v1/counts.csv", api.counts_csv, name="api_counts_csv"),
    path("api/v1/pledges/<slug:slug>", api.pledge_detail, name="api_pledge"),
    path("api/v1/pledges/<slug:slug>.csv", api.pledge_csv, name="api_pledge_csv"),
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
]
