"""/api/v1/ routes of regulations; included by motcua/api_urls.py."""

from django.urls import path

from regulations import api

urlpatterns = [
    path("regulation-rounds/", api.RoundListApi.as_view(), name="regulation-round-list"),
    path("regulation-rounds/<int:pk>/", api.RoundDetailApi.as_view(),
         name="regulation-round-detail"),
    path("regulation-rounds/<int:pk>/provisions/", api.RoundProvisionsApi.as_view(),
         name="regulation-round-provisions"),
    path("regulation-provisions/<int:pk>/", api.ProvisionDetailApi.as_view(),
         name="regulation-provision-detail"),
    path("regulation-provisions/<int:pk>/events/", api.ProvisionEventsApi.as_view(),
         name="regulation-provision-events"),
    path("regulation-provisions/<int:pk>/actions/<str:action>/",
         api.ProvisionActionApi.as_view(), name="regulation-provision-action"),
    path("regulation-summary/", api.SummaryApi.as_view(), name="regulation-summary"),
]
