from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from idp.models import Citizen


def home(request: HttpRequest) -> HttpResponse:
    """What this server is, and the demo citizens one may sign in as (DEBUG only)."""
    citizens = Citizen.objects.order_by("personal_id") if settings.DEBUG else []
    return render(request, "idp/home.html", {"citizens": citizens})
