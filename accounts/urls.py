from django.urls import path

from accounts.views import auth, profile

app_name = "accounts"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("2fa/verify/", auth.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("2fa/setup/", auth.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("2fa/disable/", auth.TwoFactorDisableView.as_view(), name="two_factor_disable"),
    path("password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("invitation/<uidb64>/<token>/", auth.InvitationView.as_view(), name="invitation"),
    path("profile/", profile.ProfileView.as_view(), name="profile"),
    path("tokens/", profile.ApiTokenCreateView.as_view(), name="token_create"),
    path("tokens/<int:pk>/revoke/", profile.ApiTokenRevokeView.as_view(), name="token_revoke"),
    path("notifications/", profile.NotificationListView.as_view(), name="notifications"),
]
