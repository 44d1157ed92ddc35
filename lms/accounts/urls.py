from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/licenses/", views.licenses, name="licenses"),
    path("sharing/", views.sharing, name="sharing"),
    path("data/", views.your_data, name="your_data"),
    path("data/export/", views.export_data, name="export_data"),
    path("data/erase/", views.request_erasure_view, name="request_erasure"),
]
