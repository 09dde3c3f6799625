"""Service-index API paths; included into /api/v1/ by motcua/api_urls.py."""

from django.urls import path

from metrics import api

urlpatterns = [
    path("metrics/", api.MetricsReportApi.as_view(), name="metrics-report"),
]
