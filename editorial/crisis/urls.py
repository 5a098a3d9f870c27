from django.urls import include
from django.urls import path

from editorial.crisis import api
from editorial.crisis import views
from editorial.crisis.drill import api as drill_api
from editorial.crisis.drill import views as drill_views

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
                path("drills/", drill_views.DrillListView.as_view(), name="drills"),
                path("drills/<int:pk>/", drill_views.DrillDetailView.as_view(), name="drill"),
                path(
                    "drills/<int:pk>/steps/<int:step_pk>/done/",
                    drill_views.DrillStepDoneView.as_view(),
                    name="drill_step_done",
                ),
                path("drills/<int:pk>/end/", drill_views.DrillEndView.as_view(), name="drill_end"),
            ]
        ),
    ),
]

api_urlpatterns = [
    path("crisis-drills/", drill_api.DrillListView.as_view(), name="drill-list"),
    path("crisis-drills/<int:pk>/", drill_api.DrillDetailView.as_view(), name="drill-detail"),
    path(
        "crisis-drills/<int:pk>/steps/<int:step_pk>/done/",
        drill_api.DrillStepDoneView.as_view(),
        name="drill-step-done",
    ),
    path("crisis-drills/<int:pk>/end/", drill_api.DrillEndView.as_view(), name="drill-end"),
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
