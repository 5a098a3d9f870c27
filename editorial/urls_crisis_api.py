app_name = "crisis_api"
urlpatterns: list = []
