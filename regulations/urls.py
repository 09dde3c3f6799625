"""Pages of regulations; mounted at /ra-soat/ by motcua/urls.py."""

from django.urls import path  # noqa: F401

app_name = "regulations"

urlpatterns: list = []
