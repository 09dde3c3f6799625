from django.urls import path

from reform.api import sipas

urlpatterns = [
    path("reform/sipas/", sipas.SurveyListApi.as_view(), name="reform-sipas-list"),
    path("reform/sipas/<int:pk>/", sipas.SurveyResultsApi.as_view(), name="reform-sipas-detail"),
]
