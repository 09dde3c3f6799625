"""Staff web pages for dossiers; mounted at the site root by motcua/urls.py."""

from django.urls import path

from dossiers.views import counter, detail, inbox, lookup, pdf, printable, register

app_name = "dossiers"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("ho-so/hop/<str:box>/", inbox.box, name="box"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("tiep-nhan/", counter.counter_new, name="counter_new"),
    path("tiep-nhan/tim-thu-tuc/", counter.procedure_search, name="procedure_search"),
    path("tiep-nhan/truong-hop/", counter.variant_options, name="variant_options"),
    path("so-theo-doi/", register.register, name="register"),
    path("so-theo-doi/so-theo-doi.pdf", register.register_pdf, name="register_pdf"),
    path("so-theo-doi/so-theo-doi.xlsx", register.register_xlsx, name="register_xlsx"),
    path("ho-so/<str:code>/mau-<str:form>.pdf", pdf.form_pdf, name="form_pdf"),
    path("ho-so/<str:code>/", detail.detail, name="detail"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", detail.act, name="act"),
    path("ho-so/<str:code>/phieu-kiem-soat/", printable.slip, name="slip"),
    path("ho-so/<str:code>/giay-tiep-nhan/", printable.receipt, name="receipt"),
]
