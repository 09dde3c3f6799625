"""Pages of the results app; mounted at the site root by motcua/urls.py."""

from django.urls import path

from results import views, views_drafting

app_name = "results"

urlpatterns = [
    path("xac-thuc/", views.verify, name="verify"),
    path("xac-thuc/<uuid:uid>/", views.verify_document, name="verify_document"),
    path("kho-du-lieu/", views.my_store, name="my_store"),
    path("kho-du-lieu/<uuid:uid>/tai-ve/", views.download, name="download"),
    path("ket-qua/<uuid:uid>/", views.public_download, name="public_download"),
    path("du-thao-ket-qua/<str:code>/", views_drafting.draft, name="draft"),
    path("du-thao-ket-qua/<str:code>/<int:version>/xem-truoc.pdf", views_drafting.preview,
         name="draft_preview"),
    path("du-thao-ket-qua/<str:code>/<int:version>/tep/", views_drafting.upload,
         name="draft_upload"),
    path("du-thao-ket-qua/<str:code>/<int:version>/tra-lai/", views_drafting.send_back,
         name="draft_return"),
    path("du-thao-ket-qua/<str:code>/<int:version>/ky/", views_drafting.sign,
         name="draft_sign"),
    path("kho-du-lieu/so-hoa/<str:code>/<int:document_id>/", views.digitise, name="digitise"),
]
