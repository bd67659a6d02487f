from django.urls import path

from pledges import account_views, views

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
    path("my/data/", account_views.my_data, name="my_data"),
    path("my/data/download/", account_views.download_data, name="download_data"),
    path("my/data/erase/", account_views.erase, name="erase"),
]
