from django.contrib.auth import views as auth_views
from django.urls import include, path
from oauth2_provider import urls as oauth2_urls

from idp.views import home

urlpatterns = [
    path("", home, name="idp-home"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="idp/login.html"),
         name="idp-login"),
    path("o/", include(oauth2_urls)),
]
