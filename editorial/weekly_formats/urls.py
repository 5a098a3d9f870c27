from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from editorial.weekly_formats import api
from editorial.weekly_formats import views

app_name = "weekly_formats"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "editorial/weekly-formats/",
        include(
            [
                path("", views.WeeklyFormatListView.as_view(), name="list"),
                path("new/", views.WeeklyFormatCreateView.as_view(), name="create"),
                path("<int:pk>/", views.WeeklyFormatEditView.as_view(), name="edit"),
                path("<int:pk>/pause/", views.WeeklyFormatPauseView.as_view(), name="pause"),
                path("<int:pk>/resume/", views.WeeklyFormatResumeView.as_view(), name="resume"),
                path("<int:pk>/delete/", views.WeeklyFormatDeleteView.as_view(), name="delete"),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("weekly-formats/", api.WeeklyFormatListView.as_view(), name="list"),
    path("weekly-formats/<int:pk>/", api.WeeklyFormatDetailView.as_view(), name="detail"),
]
