"""The data a form is bound to: what was posted, even when nothing was.

`Form(request.POST or None)` leaves the form unbound when the POST is empty (an empty QueryDict
is falsy): the page comes back without a word of what is missing, as if the button had not been
pressed. Bound to the empty data, the form says which fields are required, in Vietnamese."""

from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data of a POST (empty or not); None for GET and HEAD, an unbound form."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> MultiValueDict | None:
    """The uploaded files of a POST; None for GET and HEAD."""
    return request.FILES if request.method == "POST" else None
