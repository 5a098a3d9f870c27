from django.urls import path

from channels_app import views

app_name = "channels"

urlpatterns = [
    path("", views.ChannelListView.as_view(), name="list"),
    path("new/", views.ChannelCreateView.as_view(), name="create"),
    path("oauth/callback/", views.OAuthCallbackView.as_view(), name="oauth_callback"),
    path("<int:pk>/", views.ChannelDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ChannelEditView.as_view(), name="edit"),
    path("<int:pk>/connect/", views.ChannelConnectView.as_view(), name="connect"),
    path("<int:pk>/choose-account/", views.ChooseAccountView.as_view(), name="choose_account"),
    path(
        "<int:pk>/<str:action>/",
        views.ChannelActionView.as_view(),
        name="action",
    ),
]
