app_name = "interop_lti"

urlpatterns: list = []
