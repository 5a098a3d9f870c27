"""Pages of channels and their API."""

from django.urls import include
from django.urls import path

from channels_app import api
from channels_app import views
from channels_app.profile_notes import api as profile_notes_api
from channels_app.profile_notes import views as profile_notes_views

channel_patterns = [
    path("", views.ChannelListView.as_view(), name="list"),
    path("new/", views.ChannelCreateView.as_view(), name="create"),
    path("oauth/callback/", views.OAuthCallbackView.as_view(), name="oauth_callback"),
    path("<int:pk>/", views.ChannelDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ChannelEditView.as_view(), name="edit"),
    path("<int:pk>/connect/", views.ChannelConnectView.as_view(), name="connect"),
    path("<int:pk>/choose-account/", views.ChooseAccountView.as_view(), name="choose_account"),
    path(
        "<int:pk>/profile-notes/",
        profile_notes_views.ProfileNotesView.as_view(),
        name="profile_notes",
    ),
    path(
        "<int:pk>/<str:action>/",
        views.ChannelActionView.as_view(),
        name="action",
    ),
]

urlpatterns = [
    path("channels/", include((channel_patterns, "channels"))),
]

api_urlpatterns = [
    path("channels/", api.ChannelListView.as_view(), name="api-channel-list"),
    path("channels/<int:pk>/", api.ChannelDetailView.as_view(), name="api-channel-detail"),
    path("channels/<int:pk>/test/", api.ChannelTestView.as_view(), name="api-channel-test"),
    path(
        "channels/<int:pk>/credentials/",
        api.ChannelCredentialsView.as_view(),
        name="api-channel-credentials",
    ),
    path(
        "channels/<int:pk>/disconnect/",
        api.ChannelDisconnectView.as_view(),
        name="api-channel-disconnect",
    ),
    path(
        "channels/<int:pk>/profile-notes/",
        profile_notes_api.ProfileNotesView.as_view(),
        name="api-channel-profile-notes",
    ),
    path(
        "channels/<int:pk>/profile-notes/adopt/",
        profile_notes_api.ProfileNotesAdoptView.as_view(),
        name="api-channel-profile-notes-adopt",
    ),
]
