app_name = "interop_registries"

urlpatterns: list = []
