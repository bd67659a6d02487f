from django.urls import include, path

from pledges.views import account, api, public, signing

app_name = "pledges"

urlpatterns = [
    path("sign/", signing.sign, name="sign"),
    path("sign/check-your-email/", signing.check_email, name="check_email"),
    path("confirm/<str:token>/", signing.confirm, name="confirm"),
    path("confirm-link/resend/", signing.resend, name="resend"),
    path("my-signature/<str:token>/", signing.manage, name="manage"),
    path("schools/search/", signing.school_search, name="school_search"),
    path("my/pledges/", account.my_pledges, name="my_pledges"),
    path("my/pledges/<int:pk>/appearance/", account.change_appearance, name="change_appearance"),
    path("my/pledges/<int:pk>/withdraw/", account.withdraw, name="withdraw"),
    path("my/details/", account.my_details, name="my_details"),
    path("my/union/withdraw/", account.withdraw_union, name="withdraw_union"),
    path("my/emails/", account.email_choices, name="email_choices"),
    path("my/data/", account.my_data, name="my_data"),
    path("my/data/download/", account.download_data, name="download_data"),
    path("my/data/erase/", account.erase, name="erase"),
    path("counts/", public.counts_page, name="counts"),
    path("pledges/<slug:slug>/", public.pledge_page, name="pledge"),
    path("pledges/<slug:slug>/share.png", public.share_image, name="share_image"),
    path("wall/", public.wall, name="wall"),
    path("embed/<slug:slug>/", public.embed, name="embed"),
    path("embed.js", public.embed_script, name="embed_script"),
    path("", include("pledges.action_plan.urls")),
    path("api/", api.docs, name="api_docs"),
    path("api/v1/counts", api.counts, name="api_counts"),
    path("api/v1/counts.csv", api.counts_csv, name="api_counts_csv"),
    path("api/v1/pledges/<slug:slug>", api.pledge_detail, name="api_pledge"),
    path("api/v1/pledges/<slug:slug>.csv", api.pledge_csv, name="api_pledge_csv"),
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
]
