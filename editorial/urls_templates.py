app_name = "post_templates"
urlpatterns: list = []
