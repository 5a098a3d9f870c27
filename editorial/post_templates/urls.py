from django.urls import include
from django.urls import path

from editorial.post_templates import api
from editorial.post_templates import views

app_name = "post_templates"

urlpatterns = [
    path(
        "editorial/post-templates/",
        include(
            [
                path("", views.TemplateListView.as_view(), name="list"),
                path("new/", views.TemplateCreateView.as_view(), name="create"),
                path("<int:pk>/edit/", views.TemplateEditView.as_view(), name="edit"),
                path("<int:pk>/delete/", views.TemplateDeleteView.as_view(), name="delete"),
                path("<int:pk>/use/", views.TemplateUseView.as_view(), name="use"),
                path(
                    "recurrence/<int:post_id>/", views.RecurrenceView.as_view(), name="recurrence"
                ),
            ]
        ),
    ),
]

api_urlpatterns = [
    path("post-templates/", api.PostTemplateListView.as_view(), name="list"),
    path("post-templates/<int:pk>/", api.PostTemplateDetailView.as_view(), name="detail"),
    path("post-templates/<int:pk>/use/", api.PostTemplateUseView.as_view(), name="use"),
    path("posts/<int:pk>/recurrence/", api.PostRecurrenceView.as_view(), name="recurrence"),
]
