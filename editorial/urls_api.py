app_name = "editorial_api"
urlpatterns: list = []
