app_name = "media_public"
urlpatterns: list = []
