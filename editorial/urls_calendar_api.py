from django.urls import path

from editorial import api_calendar as api

app_name = "calendar_api"
urlpatterns = [
    path("calendar/", api.CalendarView.as_view(), name="calendar"),
    path("calendar/slots/", api.SlotListView.as_view(), name="slot-list"),
    path("calendar/slots/<int:pk>/", api.SlotDetailView.as_view(), name="slot-detail"),
]
