app_name = "post_templates_api"
urlpatterns: list = []
