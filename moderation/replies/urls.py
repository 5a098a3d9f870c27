from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from moderation.replies import api
from moderation.replies import views

app_name = "replies"

# Pages below /moderation/replies/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "moderation/replies/",
        include(
            [
                path("items/<int:item_pk>/", views.ItemReplyView.as_view(), name="item"),
                path("approvals/", views.ApprovalQueueView.as_view(), name="approvals"),
                path("<int:pk>/", views.ReplyDetailView.as_view(), name="detail"),
                path("<int:pk>/approve/", views.ReplyApproveView.as_view(), name="approve"),
                path("<int:pk>/reject/", views.ReplyRejectView.as_view(), name="reject"),
                path("<int:pk>/retry/", views.ReplyRetryView.as_view(), name="retry"),
                path("<int:pk>/resolve/", views.ReplyResolveView.as_view(), name="resolve"),
                path("saved/", views.SavedReplyListView.as_view(), name="saved_list"),
                path("saved/new/", views.SavedReplyCreateView.as_view(), name="saved_new"),
                path(
                    "saved/<int:pk>/edit/", views.SavedReplyUpdateView.as_view(), name="saved_edit"
                ),
                path(
                    "saved/<int:pk>/delete/",
                    views.SavedReplyDeleteView.as_view(),
                    name="saved_delete",
                ),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "inbox-items/<int:item_pk>/replies/", api.ItemReplyListView.as_view(), name="item-replies"
    ),
    path("replies/<int:pk>/", api.ReplyDetailView.as_view(), name="reply-detail"),
    path("replies/<int:pk>/approve/", api.ReplyApproveView.as_view(), name="reply-approve"),
    path("replies/<int:pk>/reject/", api.ReplyRejectView.as_view(), name="reply-reject"),
    path("replies/<int:pk>/retry/", api.ReplyRetryView.as_view(), name="reply-retry"),
    path("replies/<int:pk>/resolve/", api.ReplyResolveView.as_view(), name="reply-resolve"),
    path("saved-replies/", api.SavedReplyListView.as_view(), name="saved-reply-list"),
    path("saved-replies/<int:pk>/", api.SavedReplyDetailView.as_view(), name="saved-reply-detail"),
]
