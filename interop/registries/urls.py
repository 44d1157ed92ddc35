from django.urls import path

from . import views

app_name = "interop_registries"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
]
