"""Pages of feedback; mounted at /phan-anh/ by motcua/urls.py."""

from django.urls import path  # noqa: F401

app_name = "feedback"

urlpatterns: list = []
