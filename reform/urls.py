"""Pages of reform; mounted at /cai-cach/ by motcua/urls.py."""

from django.urls import include, path

app_name = "reform"

urlpatterns: list = [
    path("", include("reform.views.plan_urls")),
    path("", include("reform.views.par_urls")),
    path("", include("reform.views.sipas_urls")),
]
