from django.urls import path

from editorial import views_templates as views

app_name = "post_templates"

urlpatterns = [
    path("", views.TemplateListView.as_view(), name="list"),
    path("new/", views.TemplateCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.TemplateEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.TemplateDeleteView.as_view(), name="delete"),
    path("<int:pk>/use/", views.TemplateUseView.as_view(), name="use"),
    path("recurrence/<int:post_id>/", views.RecurrenceView.as_view(), name="recurrence"),
]
