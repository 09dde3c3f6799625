"""No copy of a signed-in person's pages is kept by a browser or a proxy.

What a signed-in person is shown — a dossier with the applicant's ID number and address, a work
box listing names (and, after a search, the number searched), a citizen's own dossiers, stored
papers, the API's answers — went out without any `Cache-Control`. A browser then keeps the
page in its disk cache and shows it again from there on Back, after sign-out too: on a desk PC
shared by the shift (docs/security.md, "Searches by number") the next person pressed Back and
read the officer's pages without a session, a read nothing logged (Decree 13/2023/NĐ-CP art. 3:
personal data is protected and kept secure while it is processed; Law 91/2025/QH15 keeps the
principle). A shared proxy, told nothing, may keep them as well.

Every answer to a request made by a signed-in person — a session or an API token — now says
`Cache-Control: private, no-store`, unless the view chose its own header (a download's
`private, no-store`, the admin's `never_cache`). Anonymous pages keep what they had: the
catalogue and the public pages may be cached; the anonymous pages that show a person's data
(the lookup, the payment page and receipt, the PAKN lookup, the evaluation) set their own.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

NO_STORE = "private, no-store"


class PrivateNoStoreMiddleware:
    """After the authentication middleware, so that a session's user is known; a token's user is
    set on the request by DRF when the view authenticates it, before the answer comes back
    here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = NO_STORE
        return response
