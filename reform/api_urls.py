"""/api/v1/ routes of reform; included by motcua/api_urls.py."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("reform.api.plan_urls")),
    path("", include("reform.api.par_urls")),
    path("", include("reform.api.sipas_urls")),
]
