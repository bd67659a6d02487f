from django.urls import path

from pledges import views

app_name = "pledges"

urlpatterns = [
    path("sign/", views.sign, name="sign"),
    path("sign/check-your-email/", views.check_email, name="check_email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("confirm-link/resend/", views.resend, name="resend"),
    path("my-signature/<str:token>/", views.manage, name="manage"),
    path("schools/search/", views.school_search, name="school_search"),
]
