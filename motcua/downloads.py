"""The headers of every file handed out (papers, results), web page or API alike."""

from django.http import HttpResponse

# Nothing in a downloaded file may run in this site's origin, even if a browser renders it
# inline: no script, no plug-in, no request, as if from a sandboxed frame of its own.
DOWNLOAD_POLICY = "default-src 'none'; sandbox"


def download_protect(response: HttpResponse) -> HttpResponse:
    """Mark a file response: no type guessing (nosniff), no shared cache, a sandbox policy."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = DOWNLOAD_POLICY
    return response
