from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from moderation.actions import api
from moderation.actions import views

app_name = "actions"

# Pages below /moderation/actions/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "moderation/actions/",
        include(
            [
                path("", views.ActionListView.as_view(), name="list"),
                path("items/<int:item_id>/", views.ItemActionsView.as_view(), name="item"),
                path("<int:pk>/retry/", views.ActionRetryView.as_view(), name="retry"),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("moderation-actions/", api.ActionListView.as_view(), name="list"),
    path("moderation-actions/options/", api.ActionOptionsView.as_view(), name="options"),
    path("moderation-actions/<int:pk>/", api.ActionDetailView.as_view(), name="detail"),
    path("moderation-actions/<int:pk>/retry/", api.ActionRetryView.as_view(), name="retry"),
]
