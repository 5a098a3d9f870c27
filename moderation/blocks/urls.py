from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from moderation.blocks import api
from moderation.blocks import views

app_name = "blocks"

# Pages below /moderation/blocks/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "moderation/blocks/",
        include(
            [
                path("", views.BlockListView.as_view(), name="list"),
                path("new/", views.BlockCreateView.as_view(), name="new"),
                path("<int:pk>/", views.BlockDetailView.as_view(), name="detail"),
                path("<int:pk>/review/", views.BlockReviewView.as_view(), name="review"),
                path("<int:pk>/lift/", views.BlockLiftView.as_view(), name="lift"),
                path("<int:pk>/appeals/", views.AppealCreateView.as_view(), name="appeal"),
                path(
                    "<int:pk>/platform/retry/",
                    views.PlatformRetryView.as_view(),
                    name="platform_retry",
                ),
                path(
                    "<int:pk>/platform/confirm/",
                    views.PlatformConfirmView.as_view(),
                    name="platform_confirm",
                ),
                path(
                    "appeals/<int:pk>/decide/",
                    views.AppealDecideView.as_view(),
                    name="appeal_decide",
                ),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("blocks/", api.BlockListView.as_view(), name="block-list"),
    path("blocks/<int:pk>/", api.BlockDetailView.as_view(), name="block-detail"),
    path("blocks/<int:pk>/review/", api.BlockReviewView.as_view(), name="block-review"),
    path("blocks/<int:pk>/lift/", api.BlockLiftView.as_view(), name="block-lift"),
    path(
        "blocks/<int:pk>/platform-retry/",
        api.BlockPlatformRetryView.as_view(),
        name="block-platform-retry",
    ),
    path(
        "blocks/<int:pk>/platform-confirm/",
        api.BlockPlatformConfirmView.as_view(),
        name="block-platform-confirm",
    ),
    path("blocks/<int:pk>/appeals/", api.BlockAppealListView.as_view(), name="block-appeals"),
    path(
        "block-appeals/<int:pk>/decide/",
        api.BlockAppealDecideView.as_view(),
        name="block-appeal-decide",
    ),
]
