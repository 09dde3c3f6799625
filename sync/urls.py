"""Operator pages of the sync; mounted at /dong-bo/ by motcua/urls.py."""

from django.urls import path

from sync import views

app_name = "sync"

urlpatterns = [
    path("", views.status, name="status"),
    path("gui-lai/", views.resend_dossier, name="resend_dossier"),
    path("gui-lai-loi/", views.resend_failed, name="resend_failed"),
    path("quoc-gia/", views.national_overview, name="national"),
]
