"""Pages of accounts (log-in, profile, administration, audit log, the dashboard) and its API."""

from django.urls import include
from django.urls import path

from accounts import api
from accounts.guidance import urls as guidance
from accounts.practice import urls as practice_urls
from accounts.views import audit
from accounts.views import auth
from accounts.views import manage
from accounts.views import profile

account_patterns = [
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

manage_patterns = [
    path("users/", manage.UserListView.as_view(), name="user_list"),
    path("users/invite/", manage.UserInviteView.as_view(), name="user_invite"),
    path("users/<int:pk>/", manage.UserDetailView.as_view(), name="user_detail"),
    path("units/", manage.UnitListView.as_view(), name="unit_list"),
    path("units/new/", manage.UnitFormView.as_view(), name="unit_create"),
    path("units/<int:pk>/", manage.UnitFormView.as_view(), name="unit_edit"),
]

urlpatterns = [
    path("", profile.DashboardView.as_view(), name="dashboard"),
    path("accounts/", include((account_patterns, "accounts"))),
    path("manage/", include((manage_patterns, "manage"))),
    path("audit/", audit.AuditLogView.as_view(), name="audit"),
    path("accounts/practice/", include((practice_urls.urlpatterns, "practice"))),
    path("", include((guidance.urlpatterns, "guidance"))),
]

api_urlpatterns = [
    *practice_urls.api_urlpatterns,
    path("users/me/", api.MeView.as_view(), name="api-me"),
    path("units/", api.UnitListView.as_view(), name="api-unit-list"),
    path("units/<int:pk>/", api.UnitDetailView.as_view(), name="api-unit-detail"),
    path("audit-entries/", api.AuditEntryListView.as_view(), name="api-audit-list"),
    path(
        "audit-entries/<int:sequence>/",
        api.AuditEntryDetailView.as_view(),
        name="api-audit-detail",
    ),
    path("", include((guidance.api_urlpatterns, "guidance_api"))),
]
