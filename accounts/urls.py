"""Signing in and out (staff, citizens, businesses), sign-up, verification and the profile.

The API uses tokens instead; VNeID's OpenID Connect endpoints are mounted at /oidc/.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import identity_views, second_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    # Django only logs out on POST, so a prefetching browser cannot sign someone out by a link.
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("dang-ky/", views.signup, name="signup"),
    path("xac-minh/", views.verify, name="verify"),
    path("xac-minh/gui-lai/", views.verify_resend, name="verify_resend"),
    path("quen-mat-khau/", views.password_forgot, name="password_forgot"),
    path("dat-lai-mat-khau/", views.password_reset, name="password_reset"),
    path("thong-tin-ca-nhan/", views.profile, name="profile"),
    path("thong-tin-ca-nhan/xac-minh-lien-he/", views.profile_contact_confirm,
         name="profile_contact_confirm"),
    path("lien-ket-vneid/", views.vneid_link, name="vneid_link"),
    # The staff second factor (accounts/second_factor.py).
    path("xac-thuc-hai-buoc/", second_factor_views.second_factor, name="second_factor"),
    path("xac-thuc-hai-buoc/thiet-lap/", second_factor_views.second_factor_setup,
         name="second_factor_setup"),
    # Identity and personal data (issue #17): desk proof, who read my data, the access log.
    path("xac-thuc-tai-quay/", identity_views.desk_identity, name="desk_identity"),
    path("ai-da-xem-du-lieu-cua-toi/", identity_views.my_data_reads, name="my_data_reads"),
    path("nhat-ky-du-lieu-ca-nhan/", identity_views.data_access_log, name="data_access_log"),
]
