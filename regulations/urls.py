"""Pages of regulations; mounted at /ra-soat/ by motcua/urls.py."""

from django.urls import path

from regulations import views

app_name = "regulations"

urlpatterns = [
    path("", views.index, name="index"),
    path("dot/moi/", views.round_create, name="round_create"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("dot/<int:pk>/them/", views.provision_add, name="provision_add"),
    path("dot/<int:pk>/ket-thuc/", views.round_close, name="round_close"),
    path("quy-dinh/<int:pk>/", views.provision_detail, name="provision"),
    path("quy-dinh/<int:pk>/phuong-an/", views.proposal_save, name="proposal_save"),
    path("quy-dinh/<int:pk>/<slug:action>/", views.provision_act, name="provision_act"),
    path("tong-hop/", views.summary, name="summary"),
    path("tong-hop.xlsx", views.summary_xlsx, name="summary_xlsx"),
]
