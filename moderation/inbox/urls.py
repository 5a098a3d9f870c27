from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from moderation.inbox import api
from moderation.inbox import views

app_name = "inbox"

# Pages below /moderation/inbox/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "moderation/inbox/",
        include(
            [
                path("", views.InboxListView.as_view(), name="index"),
                path("bulk/", views.BulkView.as_view(), name="bulk"),
                path("<int:pk>/", views.ItemView.as_view(), name="item"),
                path("<int:pk>/status/", views.ItemStatusView.as_view(), name="status"),
                path("<int:pk>/priority/", views.ItemPriorityView.as_view(), name="priority"),
                path("<int:pk>/assign/", views.ItemAssignView.as_view(), name="assign"),
                path("<int:pk>/snooze/", views.ItemSnoozeView.as_view(), name="snooze"),
                path("<int:pk>/notes/", views.NoteCreateView.as_view(), name="note"),
                path("<int:pk>/presence/", views.PresenceView.as_view(), name="presence"),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("inbox-items/", api.InboxItemListView.as_view(), name="item-list"),
    path("inbox-items/bulk/", api.InboxItemBulkView.as_view(), name="item-bulk"),
    path("inbox-items/<int:pk>/", api.InboxItemDetailView.as_view(), name="item-detail"),
    path("inbox-items/<int:pk>/notes/", api.InboxNoteListView.as_view(), name="item-notes"),
    path("inbox-items/<int:pk>/presence/", api.InboxPresenceView.as_view(), name="item-presence"),
]
