"""SIPAS pages (under /cai-cach/); the answer page is public, reached by its one-time link."""

from django.urls import path

from reform.views import sipas

urlpatterns = [
    path("sipas/", sipas.survey_list, name="sipas_list"),
    path("sipas/dot/<int:pk>/", sipas.survey_detail, name="sipas_detail"),
    path("sipas/dot/<int:pk>/in-ma-qr/", sipas.survey_print, name="sipas_print"),
    path("khao-sat/<str:token>/", sipas.survey_answer_page, name="sipas_answer"),
]
