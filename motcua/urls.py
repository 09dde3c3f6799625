from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(("motcua.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("tai-khoan/", include("accounts.urls")),
    # VNeID (OpenID Connect): /oidc/authenticate/ starts the log-in, /oidc/callback/ ends it.
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("dong-bo/", include("sync.urls")),
    path("chi-so/", include("metrics.urls")),
    path("danh-gia/", include("evaluations.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("thu-tuc/", include("catalog.urls")),
    # Signed results: /xac-thuc/ (public verification), /kho-du-lieu/ (the citizen's store).
    path("", include("results.urls")),
    path("thanh-toan/", include("payments.urls")),
    path("phan-anh/", include("feedback.urls")),
    path("ra-soat/", include("regulations.urls")),
    path("cai-cach/", include("reform.urls")),
    path("", include("dossiers.urls")),
]

# Vietnamese pages that show the reason the code gives (motcua/error_pages.py).
handler400 = "motcua.error_pages.bad_request"
handler403 = "motcua.error_pages.forbidden"
handler404 = "motcua.error_pages.not_found"
handler500 = "motcua.error_pages.server_error"
