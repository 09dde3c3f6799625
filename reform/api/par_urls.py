from django.urls import path

from reform.api import par

urlpatterns = [
    path("reform/par/assessments/", par.AssessmentListApi.as_view(),
         name="reform-par-assessments"),
    path("reform/par/assessments/<int:pk>/", par.AssessmentApi.as_view(),
         name="reform-par-assessment"),
    path("reform/par/assessments/<int:pk>/scores/<int:score_pk>/", par.ScoreApi.as_view(),
         name="reform-par-score"),
    path("reform/par/assessments/<int:pk>/actions/<slug:action>/", par.ActionApi.as_view(),
         name="reform-par-action"),
    path("reform/par/rounds/<int:pk>/", par.RoundApi.as_view(), name="reform-par-round"),
    path("reform/par/rounds/<int:pk>/publish/", par.RoundPublishApi.as_view(),
         name="reform-par-round-publish"),
]
