from django.urls import path

from channels_app import api

urlpatterns = [
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
]
