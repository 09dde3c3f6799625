"""Public pages of the procedure catalog; mounted at /thu-tuc/ by motcua/urls.py."""

from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.procedure_list_page, name="list"),
    path("<str:code>/", views.procedure_page, name="detail"),
    path("<str:code>/mau/<int:document_id>/", views.template_file, name="template_file"),
]
