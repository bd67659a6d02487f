from django.urls import path

from pledges.action_plan import views

# Included by pledges/urls.py without a namespace of its own: the names stay "pledges:…".
urlpatterns = [
    path("actions/<str:token>/", views.step, name="step"),
    path("actions/<str:token>/letter.txt", views.letter, name="step_letter"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("email-preferences/<str:token>/", views.preferences, name="preferences"),
    path("invitations/no-more/<str:token>/", views.refuse_invitations, name="refuse_invitations"),
]
