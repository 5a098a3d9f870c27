app_name = "media_api"
urlpatterns: list = []
