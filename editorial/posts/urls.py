from django.urls import include
from django.urls import path
from django.urls import re_path

from editorial.posts import api
from editorial.posts import views

app_name = "posts"

urlpatterns = [
    path(
        "editorial/",
        include(
            [
                path("posts/", views.PostListView.as_view(), name="list"),
                path("posts/new/", views.PostCreateView.as_view(), name="create"),
                path("posts/preview/", views.PreviewView.as_view(), name="preview"),
                path("posts/<int:pk>/", views.PostDetailView.as_view(), name="detail"),
                path("posts/<int:pk>/edit/", views.PostEditView.as_view(), name="edit"),
                path("posts/<int:pk>/comments/", views.PostCommentView.as_view(), name="comment"),
                path("posts/<int:pk>/delete/", views.PostDeleteView.as_view(), name="delete"),
                path(
                    "posts/<int:pk>/variants/<int:variant_pk>/",
                    views.VariantEditView.as_view(),
                    name="variant_edit",
                ),
                path(
                    "posts/<int:pk>/variants/<int:variant_pk>/preview/",
                    views.VariantPreviewView.as_view(),
                    name="variant_preview",
                ),
                re_path(
                    r"^posts/(?P<pk>\d+)/(?P<action>submit|approve|reject|withdraw|reopen"
                    r"|reschedule|retry_failed)/$",
                    views.PostActionView.as_view(),
                    name="action",
                ),
                path("approvals/", views.ApprovalQueueView.as_view(), name="approval_queue"),
            ]
        ),
    ),
]

api_urlpatterns = [
    path("posts/", api.PostListView.as_view(), name="list"),
    path("posts/channels/", api.DraftingChannelsView.as_view(), name="drafting_channels"),
    path("posts/<int:pk>/", api.PostDetailView.as_view(), name="detail"),
    path("posts/<int:pk>/problems/", api.PostProblemsView.as_view(), name="problems"),
    path("posts/<int:pk>/preview/", api.PostPreviewView.as_view(), name="preview"),
    path("posts/<int:pk>/comments/", api.PostCommentsView.as_view(), name="comments"),
    path(
        "posts/<int:pk>/variants/<int:variant_pk>/",
        api.VariantDetailView.as_view(),
        name="variant_detail",
    ),
    # Only the known actions: other paths below a post (recurrence/) belong to other views.
    re_path(
        r"^posts/(?P<pk>\d+)/(?P<action>submit|approve|reject|withdraw|reopen|reschedule)/$",
        api.PostActionView.as_view(),
        name="action",
    ),
    path("approvals/", api.ApprovalQueueView.as_view(), name="approval_queue"),
]
