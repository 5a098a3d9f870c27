from django.urls import path

from accounts.guidance import api
from accounts.guidance import views

app_name = "guidance"

urlpatterns = [
    path("guide/", views.GuideIndexView.as_view(), name="index"),
    path("guide/checklist/", views.ChecklistView.as_view(), name="checklist"),
    path("guide/training/", views.TrainingRecordListView.as_view(), name="records"),
    path("guide/training/<int:pk>/", views.TrainingRecordDetailView.as_view(), name="record"),
    path("guide/<slug:name>/", views.GuideView.as_view(), name="guide"),
]

api_urlpatterns = [
    path("training/checklist/", api.ChecklistView.as_view(), name="checklist"),
    path("training/records/", api.TrainingRecordListView.as_view(), name="records"),
    path("training/records/<int:pk>/", api.TrainingRecordDetailView.as_view(), name="record"),
]
