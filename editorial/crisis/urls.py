from django.urls import include, path

from editorial.crisis import api, views

app_name = "crisis"

urlpatterns = [
    path(
        "editorial/crisis/",
        include(
            [
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
        ),
    ),
]

api_urlpatterns = [
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
