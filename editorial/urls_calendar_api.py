app_name = "calendar_api"
urlpatterns: list = []
