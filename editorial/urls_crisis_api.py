from django.urls import path

from editorial import api_crisis as api

app_name = "crisis_api"
urlpatterns = [
    path("pauses/", api.PauseListView.as_view(), name="pause-list"),
    path("pauses/<int:pk>/", api.PauseDetailView.as_view(), name="pause-detail"),
    path("pauses/<int:pk>/resume/", api.PauseResumeView.as_view(), name="pause-resume"),
    path("pauses/<int:pk>/missed/", api.MissedPostListView.as_view(), name="pause-missed"),
    path(
        "pauses/<int:pk>/missed/<int:post_pk>/reschedule/",
        api.MissedPostRescheduleView.as_view(),
        name="pause-missed-reschedule",
    ),
    path(
        "pauses/<int:pk>/missed/<int:post_pk>/discard/",
        api.MissedPostDiscardView.as_view(),
        name="pause-missed-discard",
    ),
    path("emergency-posts/", api.EmergencyPostCreateView.as_view(), name="emergency-create"),
    path(
        "emergency-posts/<int:pk>/approve/",
        api.EmergencyPostApproveView.as_view(),
        name="emergency-approve",
    ),
]
