"""Public pages of feedback."""

from django.http import HttpRequest, HttpResponse


def lookup(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
