from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from moderation.evidence import api
from moderation.evidence import views

app_name = "evidence"

# Pages below /moderation/evidence/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "moderation/evidence/",
        include(
            [
                path("", views.EvidenceListView.as_view(), name="list"),
                path("<int:pk>/", views.EvidenceDetailView.as_view(), name="detail"),
                path(
                    "<int:pk>/export.pdf",
                    views.EvidenceExportView.as_view(),
                    {"kind": "pdf"},
                    name="export_pdf",
                ),
                path(
                    "<int:pk>/export.json",
                    views.EvidenceExportView.as_view(),
                    {"kind": "json"},
                    name="export_json",
                ),
                path(
                    "<int:pk>/criminal/",
                    views.EvidenceMarkCriminalView.as_view(),
                    name="mark_criminal",
                ),
                path(
                    "<int:pk>/complaint-filed/",
                    views.EvidenceComplaintFiledView.as_view(),
                    name="complaint_filed",
                ),
                path(
                    "<int:pk>/release-hold/",
                    views.EvidenceReleaseHoldView.as_view(),
                    name="release_hold",
                ),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("evidence-records/", api.EvidenceRecordListView.as_view(), name="list"),
    path("evidence-records/<int:pk>/", api.EvidenceRecordDetailView.as_view(), name="detail"),
    path("evidence-records/<int:pk>/pdf/", api.EvidencePdfView.as_view(), name="pdf"),
    path("evidence-records/<int:pk>/package/", api.EvidencePackageView.as_view(), name="package"),
    path(
        "evidence-records/<int:pk>/mark-criminal/",
        api.EvidenceMarkCriminalView.as_view(),
        name="mark-criminal",
    ),
    path(
        "evidence-records/<int:pk>/complaint-filed/",
        api.EvidenceComplaintFiledView.as_view(),
        name="complaint-filed",
    ),
    path(
        "evidence-records/<int:pk>/release-hold/",
        api.EvidenceReleaseHoldView.as_view(),
        name="release-hold",
    ),
]
