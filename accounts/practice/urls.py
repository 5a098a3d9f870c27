"""Practice mode: the page with the switch, and its API."""

from django.urls import path

from accounts.practice import api
from accounts.practice import views

urlpatterns = [
    path("", views.PracticeView.as_view(), name="home"),
]

api_urlpatterns = [
    path("practice/", api.PracticeStateView.as_view(), name="api-practice"),
]
