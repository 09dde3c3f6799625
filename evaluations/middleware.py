"""An evaluation screen's account opens its screen and nothing else.

The account of the tablet facing the applicant (role "Màn hình đánh giá tại quầy") is marked in
its session when it logs in; every other page then sends it back to the screen, so an applicant
at the desk cannot browse from it. Only the log-in of such an account reads the database here.
"""

from collections.abc import Callable

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.selectors import user_screen_unit_ids

SESSION_KEY = "motcua_evaluation_screen"


@receiver(user_logged_in)
def _mark_screen(sender, request: HttpRequest, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session") and user_screen_unit_ids(user):
        request.session[SESSION_KEY] = True


class ScreenConfinementMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.get(SESSION_KEY):
            allowed = (reverse("evaluations:screen"), "/static/", "/i18n/",
                       reverse("accounts:logout"))
            if not request.path.startswith(allowed):
                return redirect("evaluations:screen")
        return self.get_response(request)
