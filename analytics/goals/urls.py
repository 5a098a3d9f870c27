from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from analytics.goals import api
from analytics.goals import views

app_name = "goals"

# Pages below /analytics/goals/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "analytics/goals/",
        include(
            [
                path("", views.GoalIndexView.as_view(), name="index"),
                path("new/", views.GoalCreateView.as_view(), name="new"),
                path("<int:pk>/", views.GoalDetailView.as_view(), name="detail"),
                path("<int:pk>/edit/", views.GoalEditView.as_view(), name="edit"),
                path("<int:pk>/archive/", views.GoalArchiveView.as_view(), name="archive"),
                path("target-groups/", views.TargetGroupListView.as_view(), name="target_groups"),
                path(
                    "target-groups/new/",
                    views.TargetGroupCreateView.as_view(),
                    name="target_group_new",
                ),
                path(
                    "target-groups/<int:pk>/edit/",
                    views.TargetGroupEditView.as_view(),
                    name="target_group_edit",
                ),
                path(
                    "target-groups/<int:pk>/archive/",
                    views.TargetGroupArchiveView.as_view(),
                    name="target_group_archive",
                ),
                path("channels/", views.ChannelStrategyListView.as_view(), name="channels"),
                path(
                    "channels/<int:channel_id>/",
                    views.ChannelStrategyEditView.as_view(),
                    name="channel",
                ),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "analytics/goals/",
        include(
            [
                path("", api.GoalListView.as_view(), name="list"),
                path("<int:pk>/", api.GoalDetailView.as_view(), name="detail"),
                path("<int:pk>/archive/", api.GoalArchiveView.as_view(), name="archive"),
                path("target-groups/", api.TargetGroupListView.as_view(), name="target-group-list"),
                path(
                    "target-groups/<int:pk>/",
                    api.TargetGroupDetailView.as_view(),
                    name="target-group-detail",
                ),
                path(
                    "target-groups/<int:pk>/archive/",
                    api.TargetGroupArchiveView.as_view(),
                    name="target-group-archive",
                ),
                path(
                    "channel-strategies/",
                    api.ChannelStrategyListView.as_view(),
                    name="channel-strategy-list",
                ),
                path(
                    "channel-strategies/<int:channel_id>/",
                    api.ChannelStrategyDetailView.as_view(),
                    name="channel-strategy-detail",
                ),
            ]
        ),
    ),
]
