app_name = "crisis"
urlpatterns: list = []
