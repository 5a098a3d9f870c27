from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from moderation.netiquette import api
from moderation.netiquette import views

app_name = "netiquette"

# Pages below /moderation/netiquette/, and the public page below /netiquette/ (no login).
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "moderation/netiquette/",
        include(
            [
                path("", views.NetiquetteIndexView.as_view(), name="index"),
                path("units/<int:unit_id>/", views.NetiquetteUnitView.as_view(), name="unit"),
                path(
                    "units/<int:unit_id>/draft/",
                    views.NetiquetteDraftView.as_view(),
                    name="draft",
                ),
                path(
                    "units/<int:unit_id>/starter/",
                    views.NetiquetteStarterView.as_view(),
                    name="starter",
                ),
                path(
                    "units/<int:unit_id>/publish/",
                    views.NetiquettePublishView.as_view(),
                    name="publish",
                ),
                path("<int:pk>/", views.NetiquetteDetailView.as_view(), name="detail"),
            ]
        ),
    ),
    path("netiquette/<int:unit_id>/", views.public_netiquette, name="public"),
    path(
        "netiquette/<int:unit_id>/v<int:version>/",
        views.public_netiquette,
        name="public_version",
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("netiquettes/", api.NetiquetteListView.as_view(), name="list"),
    path("netiquettes/<int:pk>/", api.NetiquetteDetailView.as_view(), name="detail"),
    path("netiquettes/<int:pk>/publish/", api.NetiquettePublishView.as_view(), name="publish"),
    path(
        "netiquettes/adopt-starter/",
        api.NetiquetteAdoptStarterView.as_view(),
        name="adopt_starter",
    ),
]
