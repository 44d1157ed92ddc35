app_name = "interop_sso"

urlpatterns: list = []
