from django.urls import include
from django.urls import path
from django.urls import re_path

from editorial.planning import api
from editorial.planning import views

app_name = "planning"

urlpatterns = [
    path(
        "editorial/planning/",
        include(
            [
                path("", views.CalendarView.as_view(), name="index"),
                path("posts/<int:pk>/move/", views.PostMoveView.as_view(), name="post_move"),
                path("slots/new/", views.SlotCreateView.as_view(), name="slot_create"),
                path("slots/<int:pk>/", views.SlotEditView.as_view(), name="slot_edit"),
                path("slots/<int:pk>/delete/", views.SlotDeleteView.as_view(), name="slot_delete"),
                path("slots/<int:pk>/write/", views.SlotWritePostView.as_view(), name="slot_write"),
                path("feed/new/", views.FeedCreateView.as_view(), name="feed_create"),
                path("feed/revoke/", views.FeedRevokeView.as_view(), name="feed_revoke"),
                re_path(r"^feed/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", views.feed, name="feed"),
            ]
        ),
    ),
    # Calendar apps subscribed to feeds under the old address; they poll it, so it keeps
    # answering rather than redirecting (not every calendar client follows redirects).
    re_path(r"^editorial/calendar/feed/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", views.feed),
]

api_urlpatterns = [
    path("calendar/", api.CalendarView.as_view(), name="calendar"),
    path("calendar/slots/", api.SlotListView.as_view(), name="slot-list"),
    path("calendar/slots/<int:pk>/", api.SlotDetailView.as_view(), name="slot-detail"),
]
