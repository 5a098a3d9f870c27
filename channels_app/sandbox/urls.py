"""The sandbox platform: its API under ``api/v1/`` and its public pages."""

from django.urls import path

from channels_app.sandbox import views

app_name = "sandbox"

api = "api/v1/"

urlpatterns = [
    path(f"{api}oauth/token", views.route(POST=views.oauth_token), name="oauth_token"),
    path(f"{api}oauth/revoke", views.route(POST=views.oauth_revoke), name="oauth_revoke"),
    path(f"{api}me", views.route(GET=views.me), name="me"),
    path(f"{api}account/metrics", views.route(GET=views.account_metrics), name="account_metrics"),
    path(f"{api}media", views.route(POST=views.media_create), name="media_upload"),
    path(
        f"{api}posts",
        views.route(GET=views.posts_list, POST=views.posts_create),
        name="posts",
    ),
    # Before posts/<id>, or "metrics" would be taken for a post id.
    path(f"{api}posts/metrics", views.route(GET=views.posts_metrics), name="posts_metrics"),
    path(
        f"{api}posts/<str:remote_id>",
        views.route(GET=views.post_detail, DELETE=views.post_delete),
        name="post_detail",
    ),
    path(
        f"{api}posts/<str:remote_id>/comments/close",
        views.route(POST=views.post_close_comments),
        name="post_close_comments",
    ),
    path(f"{api}comments", views.route(GET=views.comments_list), name="comments"),
    path(f"{api}mentions", views.route(GET=views.mentions_list), name="mentions"),
    path(f"{api}messages", views.route(GET=views.messages_list), name="messages"),
    path(
        f"{api}comments/<str:remote_id>",
        views.route(DELETE=views.comment_delete),
        name="comment_detail",
    ),
    path(
        f"{api}comments/<str:remote_id>/replies",
        views.route(POST=views.comment_reply),
        name="comment_replies",
    ),
    path(
        f"{api}comments/<str:remote_id>/hide",
        views.route(POST=views.comment_hide),
        name="comment_hide",
    ),
    path(
        f"{api}comments/<str:remote_id>/unhide",
        views.route(POST=views.comment_unhide),
        name="comment_unhide",
    ),
    path(
        f"{api}accounts/<str:author_id>/block",
        views.route(POST=views.author_block),
        name="author_block",
    ),
    path(
        f"{api}accounts/<str:author_id>/unblock",
        views.route(POST=views.author_unblock),
        name="author_unblock",
    ),
    path(f"{api}_control/<str:handle>", views.route(POST=views.control_update), name="control"),
    path(
        f"{api}_control/<str:handle>/stats",
        views.route(GET=views.control_stats),
        name="control_stats",
    ),
    path("@<str:handle>/", views.profile_page, name="profile"),
    path("posts/<str:remote_id>/", views.post_page, name="post"),
    path("media/<str:remote_id>", views.media_file, name="media"),
]
