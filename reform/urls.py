"""Pages of reform; mounted at /cai-cach/ by motcua/urls.py."""

from django.urls import path  # noqa: F401

app_name = "reform"

urlpatterns: list = []
