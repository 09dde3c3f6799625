"""Payment pages; mounted at thanh-toan/ by motcua/urls.py (the callback is in the API)."""

from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("doi-soat/", views.reconciliation, name="reconciliation"),
    path("<str:token>/bien-lai.pdf", views.payment_receipt, name="receipt"),
    path("<str:token>/", views.payment_page, name="page"),
    path("<str:token>/cong-thanh-toan/", views.payment_gateway, name="gateway"),
    path("ho-so/xac-nhan/<str:reference>/", views.payment_confirm_view, name="confirm"),
    path("ho-so/hoan-tien/<str:reference>/", views.payment_refund_view, name="refund"),
]
