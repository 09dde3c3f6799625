"""/api/v1/ routes of feedback; included by motcua/api_urls.py."""

from django.urls import path

from feedback import api

urlpatterns = [
    path("feedback/", api.SendApi.as_view(), name="feedback-send"),
    path("feedback/lookup/", api.LookupApi.as_view(), name="feedback-lookup"),
    path("feedback/rate/", api.RateApi.as_view(), name="feedback-rate"),
    path("feedback/answers/", api.AnswersApi.as_view(), name="feedback-answers"),
    path("feedback/items/", api.ItemListApi.as_view(), name="feedback-items"),
    path("feedback/statistics/", api.StatisticsApi.as_view(), name="feedback-statistics"),
    path("feedback/items/<str:code>/", api.ItemDetailApi.as_view(), name="feedback-item"),
    path("feedback/items/<str:code>/actions/<str:action>/", api.ItemActionApi.as_view(),
         name="feedback-item-action"),
]
