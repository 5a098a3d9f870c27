from django.urls import path

from accounts.views import manage

app_name = "manage"

urlpatterns = [
    path("users/", manage.UserListView.as_view(), name="user_list"),
    path("users/invite/", manage.UserInviteView.as_view(), name="user_invite"),
    path("users/<int:pk>/", manage.UserDetailView.as_view(), name="user_detail"),
    path("units/", manage.UnitListView.as_view(), name="unit_list"),
    path("units/new/", manage.UnitFormView.as_view(), name="unit_create"),
    path("units/<int:pk>/", manage.UnitFormView.as_view(), name="unit_edit"),
]
