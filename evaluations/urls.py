"""Evaluation pages; mounted at /danh-gia/ by motcua/urls.py."""

from django.urls import path

from evaluations import screen, views

app_name = "evaluations"

urlpatterns = [
    path("ho-so/<str:code>/", views.online, name="online"),
    path("quay/", views.kiosk, name="kiosk"),
    path("quay/xac-nhan/", views.kiosk_confirm, name="kiosk_confirm"),
    path("quay/moi-danh-gia/", screen.screen_send, name="screen_send"),
    path("man-hinh/", screen.screen, name="screen"),
    path("man-hinh/phieu/", screen.screen_poll, name="screen_poll"),
    path("theo-doi/", views.follow_ups, name="follow_ups"),
    path("theo-doi/<int:pk>/", views.follow_up_detail, name="follow_up_detail"),
    path("theo-doi/<int:pk>/dong/", views.follow_up_close_view, name="follow_up_close"),
]
