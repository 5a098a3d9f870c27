from django.urls import path

from accounts import api

urlpatterns = [
    path("users/me/", api.MeView.as_view(), name="api-me"),
    path("units/", api.UnitListView.as_view(), name="api-unit-list"),
    path("units/<int:pk>/", api.UnitDetailView.as_view(), name="api-unit-detail"),
    path("audit-entries/", api.AuditEntryListView.as_view(), name="api-audit-list"),
    path(
        "audit-entries/<int:sequence>/",
        api.AuditEntryDetailView.as_view(),
        name="api-audit-detail",
    ),
]
