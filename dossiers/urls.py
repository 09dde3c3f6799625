"""Staff web pages for dossiers; mounted at the site root by motcua/urls.py."""

from django.urls import path

from dossiers.views import (
    counter,
    detail,
    files,
    inbox,
    lookup,
    mine,
    online,
    pdf,
    printable,
    register,
)

app_name = "dossiers"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("ho-so/hop/<str:box>/", inbox.box, name="box"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("tiep-nhan/", counter.counter_new, name="counter_new"),
    path("tiep-nhan/tim-thu-tuc/", counter.procedure_search, name="procedure_search"),
    path("tiep-nhan/nguoi-nop/", counter.applicant_search, name="counter_applicant"),
    path("tiep-nhan/truong-hop/", counter.variant_options, name="variant_options"),
    path("so-theo-doi/", register.register, name="register"),
    path("so-theo-doi/so-theo-doi.pdf", register.register_pdf, name="register_pdf"),
    path("so-theo-doi/so-theo-doi.xlsx", register.register_xlsx, name="register_xlsx"),
    # The applicant's side: online submission (channel 2), own dossiers, private files.
    path("nop-truc-tuyen/<str:code>/", online.online_start, name="online_start"),
    path("ho-so-nhap/<int:pk>/", online.online_draft, name="online_draft"),
    path("ho-so-nhap/<int:pk>/xoa/", online.online_draft_delete, name="online_draft_delete"),
    path("ho-so-cua-toi/", mine.my_list, name="my_list"),
    path("ho-so-cua-toi/<str:code>/", mine.my_detail, name="my_detail"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", mine.my_supplement, name="my_supplement"),
    path("ho-so-cua-toi/<str:code>/mau-<str:form>.pdf", mine.my_form_pdf, name="my_form_pdf"),
    path("tep/<uuid:token>/", files.file_download, name="file_download"),
    path("ho-so/<str:code>/mau-<str:form>.pdf", pdf.form_pdf, name="form_pdf"),
    path("ho-so/<str:code>/", detail.detail, name="detail"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", detail.act, name="act"),
    path("ho-so/<str:code>/phieu-kiem-soat/", printable.slip, name="slip"),
    path("ho-so/<str:code>/giay-tiep-nhan/", printable.receipt, name="receipt"),
]
