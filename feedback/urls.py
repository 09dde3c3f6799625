"""Pages of feedback; mounted at /phan-anh/ by motcua/urls.py."""

from django.urls import path

from feedback.views import public

app_name = "feedback"

urlpatterns = [
    path("tra-cuu/", public.lookup, name="lookup"),
]
