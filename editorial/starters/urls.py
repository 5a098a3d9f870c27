from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from editorial.starters import api
from editorial.starters import views

app_name = "starters"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "editorial/starters/",
        include(
            [
                path("", views.StarterIndexView.as_view(), name="index"),
                path("units/<int:unit_id>/", views.StarterUnitView.as_view(), name="unit"),
                path(
                    "units/<int:unit_id>/emergency-templates/",
                    views.EmergencyTemplatesAdoptView.as_view(),
                    name="adopt_emergency_templates",
                ),
                path(
                    "units/<int:unit_id>/rhythm/",
                    views.RhythmAdoptView.as_view(),
                    name="adopt_rhythm",
                ),
                path(
                    "units/<int:unit_id>/<str:kind>/",
                    views.DocumentView.as_view(),
                    name="document",
                ),
                path(
                    "units/<int:unit_id>/<str:kind>/adopt/",
                    views.DocumentAdoptView.as_view(),
                    name="adopt_document",
                ),
                path(
                    "units/<int:unit_id>/<str:kind>/edit/",
                    views.DocumentEditView.as_view(),
                    name="document_edit",
                ),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("unit-documents/", api.UnitDocumentListView.as_view(), name="document_list"),
    path("unit-documents/<int:pk>/", api.UnitDocumentDetailView.as_view(), name="document_detail"),
    path("starters/adopt/", api.StarterAdoptView.as_view(), name="adopt"),
]
