"""/api/v1/: the payment callback (IPN, shared by the gateway and the bank feed) and staff APIs."""

from django.urls import path

from payments import api, views

urlpatterns = [
    path("payments/callback/", views.payment_callback, name="payment-callback"),
    path("payments/<str:reference>/confirm/", api.PaymentConfirmApi.as_view(),
         name="payment-confirm"),
    path("payments/<str:reference>/refund/", api.PaymentRefundApi.as_view(),
         name="payment-refund"),
    path("dossiers/<str:code>/payments/", api.DossierPaymentsApi.as_view(),
         name="dossier-payments"),
]
