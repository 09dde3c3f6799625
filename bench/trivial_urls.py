"""The benchmark's URLconf: every production URL, plus `POST /bench/trivial/`, the stack's floor,
`POST /bench/essential/<code>/forward/`, a forward's floor (bench/essential.py),
`POST /bench/essential/<code>/approve/` and `POST /bench/essential/<code>/return_result/`,
the approval's and the return's (bench/essential_actions.py), and
`POST /bench/essential/dossiers/`, a filing's floor (bench/essential_filing.py).

The trivial write goes through what the filing goes through — gunicorn, Django's middleware, DRF
with token authentication, a serializer validating the body, one INSERT, a JSON answer — and does
nothing else. It is mounted only by bench/trivial_settings.py, never by motcua/urls.py.
"""

from django.urls import path
from django.utils import timezone
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bench.essential import EssentialForwardApi
from bench.essential_actions import EssentialApproveApi, EssentialReturnApi
from bench.essential_filing import EssentialFilingApi
from dossiers.models import LookupFailure
from motcua.urls import urlpatterns as production


class TrivialSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=100)


class TrivialWriteApi(APIView):
    """Validate `{"key": …}` and insert one row (a LookupFailure: a small table of the project)."""

    def post(self, request):
        s = TrivialSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        row = LookupFailure.objects.create(scope=LookupFailure.Scope.CODE,
                                           key=s.validated_data["key"], at=timezone.now())
        return Response({"id": row.pk, "key": row.key}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("bench/trivial/", TrivialWriteApi.as_view()),
    # The essential floor of an action (bench/essential.py): the real forward's statements only.
    path("bench/essential/<str:code>/forward/", EssentialForwardApi.as_view()),
    # The approval's (without signing) and the return of the result's floors
    # (bench/essential_actions.py).
    path("bench/essential/<str:code>/approve/", EssentialApproveApi.as_view()),
    path("bench/essential/<str:code>/return_result/", EssentialReturnApi.as_view()),
    # The essential floor of a filing (bench/essential_filing.py): the real filing's statements.
    path("bench/essential/dossiers/", EssentialFilingApi.as_view()),
    *production,
]
