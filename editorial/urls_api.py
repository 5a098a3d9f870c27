from django.urls import path, re_path

from editorial import api

app_name = "editorial_api"

urlpatterns = [
    path("posts/", api.PostListView.as_view(), name="post_list"),
    path("posts/channels/", api.DraftingChannelsView.as_view(), name="drafting_channels"),
    path("posts/<int:pk>/", api.PostDetailView.as_view(), name="post_detail"),
    path("posts/<int:pk>/problems/", api.PostProblemsView.as_view(), name="post_problems"),
    path("posts/<int:pk>/comments/", api.PostCommentsView.as_view(), name="post_comments"),
    path(
        "posts/<int:pk>/variants/<int:variant_pk>/",
        api.VariantDetailView.as_view(),
        name="variant_detail",
    ),
    # Only the known actions: other paths below a post (recurrence/) belong to other views.
    re_path(
        r"^posts/(?P<pk>\d+)/(?P<action>submit|approve|reject|withdraw|reopen|reschedule)/$",
        api.PostActionView.as_view(),
        name="post_action",
    ),
    path("approvals/", api.ApprovalQueueView.as_view(), name="approval_queue"),
]
