"""Signing staff in and out of the web pages (the API uses tokens instead)."""

from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "accounts"

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="accounts/login.html",
                                     redirect_authenticated_user=True),
        name="login",
    ),
    # Django only logs out on POST, so a prefetching browser cannot sign someone out by a link.
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
]
