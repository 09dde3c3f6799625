"""/api/v1/ routes of the results app (included by motcua/api_urls.py)."""

from django.urls import path

from results import api

urlpatterns = [
    path("xac-thuc/", api.VerifyApi.as_view(), name="results-verify"),
    path("kho-du-lieu/", api.MyStoreApi.as_view(), name="results-store"),
    path("kho-du-lieu/<uuid:uid>/tai-ve/", api.StoredDownloadApi.as_view(),
         name="results-download"),
    path("dossiers/<str:code>/documents/<int:document_id>/reuse/",
         api.DocumentReuseApi.as_view(), name="results-reuse"),
    path("dossiers/<str:code>/documents/<int:document_id>/digitise/",
         api.DigitiseApi.as_view(), name="results-digitise"),
]
