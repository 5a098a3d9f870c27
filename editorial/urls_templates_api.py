from django.urls import path

from editorial import api_templates as api

app_name = "post_templates_api"

urlpatterns = [
    path("post-templates/", api.PostTemplateListView.as_view(), name="list"),
    path("post-templates/<int:pk>/", api.PostTemplateDetailView.as_view(), name="detail"),
    path("post-templates/<int:pk>/use/", api.PostTemplateUseView.as_view(), name="use"),
    path("posts/<int:pk>/recurrence/", api.PostRecurrenceView.as_view(), name="recurrence"),
]
