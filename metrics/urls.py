"""Service-index pages; mounted at /chi-so/ by motcua/urls.py."""

from django.urls import path

from metrics import views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ho-so/", views.drill, name="drill"),
    path("xuat/excel/", views.export_xlsx, name="export_xlsx"),
    path("xuat/csv/", views.export_csv, name="export_csv"),
]
