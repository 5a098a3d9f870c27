from django.urls import path

from editorial import views_crisis as views

app_name = "crisis"
urlpatterns = [
    path("", views.PauseListView.as_view(), name="list"),
    path("new/", views.PauseCreateView.as_view(), name="new"),
    path("<int:pk>/resume/", views.PauseResumeView.as_view(), name="resume"),
    path("<int:pk>/missed/", views.MissedPostsView.as_view(), name="missed"),
    path(
        "<int:pk>/missed/<int:post_pk>/reschedule/",
        views.MissedRescheduleView.as_view(),
        name="missed_reschedule",
    ),
    path(
        "<int:pk>/missed/<int:post_pk>/discard/",
        views.MissedDiscardView.as_view(),
        name="missed_discard",
    ),
    path("emergency/", views.EmergencyPostView.as_view(), name="emergency"),
    path(
        "emergency/<int:post_pk>/approve/",
        views.EmergencyApproveView.as_view(),
        name="emergency_approve",
    ),
]
