from django.urls import path, re_path

from editorial import views

app_name = "editorial"

urlpatterns = [
    path("posts/", views.PostListView.as_view(), name="post_list"),
    path("posts/new/", views.PostCreateView.as_view(), name="post_create"),
    path("posts/preview/", views.PreviewView.as_view(), name="post_preview"),
    path("posts/<int:pk>/", views.PostDetailView.as_view(), name="post_detail"),
    path("posts/<int:pk>/edit/", views.PostEditView.as_view(), name="post_edit"),
    path("posts/<int:pk>/comments/", views.PostCommentView.as_view(), name="post_comment"),
    path("posts/<int:pk>/delete/", views.PostDeleteView.as_view(), name="post_delete"),
    path(
        "posts/<int:pk>/variants/<int:variant_pk>/",
        views.VariantEditView.as_view(),
        name="variant_edit",
    ),
    re_path(
        r"^posts/(?P<pk>\d+)/(?P<action>submit|approve|reject|withdraw|reopen|reschedule|retry_failed)/$",
        views.PostActionView.as_view(),
        name="post_action",
    ),
    path("approvals/", views.ApprovalQueueView.as_view(), name="approval_queue"),
    path("operations/", views.OperationsView.as_view(), name="operations"),
    path("units/<int:pk>/rules/", views.EditorialPolicyView.as_view(), name="unit_policy"),
]
