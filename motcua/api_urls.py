"""/api/v1/: the versioned JSON API."""

from django.urls import include, path

from accounts import api as accounts_api
from catalog import api as catalog_api
from dossiers import api as dossiers_api
from dossiers import api_online
from evaluations import api as evaluations_api

urlpatterns = [
    path("auth/token/", accounts_api.ObtainTokenApi.as_view(), name="token"),
    path("procedures/", catalog_api.ProcedureListApi.as_view(), name="procedure-list"),
    path("procedures/<str:code>/", catalog_api.ProcedureDetailApi.as_view(),
         name="procedure-detail"),
    path("my/dossiers/", api_online.MyDossiersApi.as_view(), name="my-dossiers"),
    path("my/dossiers/<str:code>/supplement/", api_online.MySupplementApi.as_view(),
         name="my-dossier-supplement"),
    path("files/<uuid:token>/", api_online.FileDownloadApi.as_view(), name="file-download"),
    path("dossiers/", dossiers_api.DossierListCreateApi.as_view(), name="dossier-list"),
    path("dossiers/<str:code>/", dossiers_api.DossierDetailApi.as_view(), name="dossier-detail"),
    path("dossiers/<str:code>/events/", dossiers_api.DossierEventsApi.as_view(),
         name="dossier-events"),
    path("dossiers/<str:code>/evaluation/", evaluations_api.DossierEvaluationApi.as_view(),
         name="dossier-evaluation"),
    path("dossiers/<str:code>/evaluation/confirm/",
         evaluations_api.DossierEvaluationConfirmApi.as_view(),
         name="dossier-evaluation-confirm"),
    path("dossiers/<str:code>/actions/<str:action>/", dossiers_api.DossierActionApi.as_view(),
         name="dossier-action"),
    path("", include("sync.api_urls")),
    path("", include("metrics.api_urls")),
    path("", include("results.api_urls")),
    path("", include("payments.api_urls")),
    path("", include("feedback.api_urls")),
    path("", include("regulations.api_urls")),
    path("", include("reform.api_urls")),
]
