from django.urls import path

from editorial.publishing import views

app_name = "publishing"

urlpatterns = [
    path("editorial/publishing/", views.OperationsView.as_view(), name="operations"),
]
