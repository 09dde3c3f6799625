"""Evaluation pages; mounted at /danh-gia/ by motcua/urls.py."""

from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("ho-so/<str:code>/", views.online, name="online"),
    path("quay/", views.kiosk, name="kiosk"),
    path("theo-doi/", views.follow_ups, name="follow_ups"),
    path("theo-doi/<int:pk>/dong/", views.follow_up_close_view, name="follow_up_close"),
]
