from django.urls import path

from editorial.policy import views

app_name = "policy"

urlpatterns = [
    path("editorial/policy/<int:pk>/", views.EditorialPolicyView.as_view(), name="edit"),
]
