"""/api/v1/ routes of regulations; included by motcua/api_urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
