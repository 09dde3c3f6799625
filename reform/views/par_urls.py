"""PAR Index pages (under /cai-cach/)."""

from django.urls import path

from reform.views import par

urlpatterns = [
    path("chi-so-cchc/", par.home, name="par_home"),
    path("chi-so-cchc/mau-bo-tieu-chi.xlsx", par.criteria_template, name="par_template"),
    path("chi-so-cchc/dot/<int:pk>/", par.round_detail, name="par_round"),
    path("chi-so-cchc/danh-gia/<int:pk>/", par.assessment_detail, name="par_assessment"),
    path("chi-so-cchc/danh-gia/<int:pk>/diem/<int:score_pk>/", par.score_save,
         name="par_score"),
    path("chi-so-cchc/danh-gia/<int:pk>/tep/<int:file_pk>/", par.evidence_download,
         name="par_evidence"),
    path("chi-so-cchc/danh-gia/<int:pk>/<slug:action>/", par.assessment_action,
         name="par_action"),
]
