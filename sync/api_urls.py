"""The sync app's JSON endpoints under /api/v1/.

cong-quoc-gia/ and csdl-dan-cu/ exist only in national mode (404 otherwise); cong-dan/tra-cuu/ is
the provincial side's population-database lookup.
"""

from django.urls import path

from sync import national_api, population_api

urlpatterns = [
    path("cong-quoc-gia/token/", national_api.NationalTokenApi.as_view(), name="national-token"),
    path("cong-quoc-gia/dich-vu/", national_api.NationalServiceApi.as_view(),
         name="national-service"),
    path("cong-quoc-gia/tra-cuu/", national_api.NationalSessionLookupApi.as_view(),
         name="national-lookup"),
    path("cong-quoc-gia/ho-so/", national_api.NationalDossierListApi.as_view(),
         name="national-dossiers"),
    path("cong-quoc-gia/thong-ke/", national_api.NationalCountsApi.as_view(),
         name="national-counts"),
    path("cong-quoc-gia/dieu-khien/", national_api.NationalSwitchesApi.as_view(),
         name="national-switches"),
    path("cong-dan/tra-cuu/", population_api.CitizenLookupApi.as_view(), name="citizen-lookup"),
    path("csdl-dan-cu/tra-cuu/", population_api.PopulationSimulatorApi.as_view(),
         name="population-simulator"),
]
