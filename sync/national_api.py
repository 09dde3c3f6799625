"""National mode's HTTP side: the portal's services, lookup, counts, and the test switches.

The portal protocol answers every request it understands with HTTP 200 and an `error_code`
("0" success); bad JSON, a bad payload or an expired session is an `error_code` ≠ 0 with a
Vietnamese message, never a 500. Outside national mode these URLs do not exist (404).
"""

import json
import logging
import secrets
from typing import Any

from django.conf import settings
from django.http import Http404
from django.http.request import RawPostDataException
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.nul import has_nul
from sync import national, national_lockout
from sync.portal_client import INVALID_PAYLOAD, SESSION_INVALID

log = logging.getLogger(__name__)


class _NationalOnly(APIView):
    def initial(self, request, *args, **kwargs):
        if settings.MOTCUA_MODE != "national":
            raise Http404
        super().initial(request, *args, **kwargs)


class _PortalProtocolApi(_NationalOnly):
    """Authenticated by the session in the body, not by Django accounts."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    parser_classes: list = []

    def _body(self, request) -> Any:
        try:
            raw = request.body
        except RawPostDataException as exc:
            # A form's body (multipart) spent by the NUL check (motcua/nul.py) before this
            # view: it was a 500 (audit10).
            raise national.PortalRefusal(INVALID_PAYLOAD,
                                         "Dữ liệu gửi lên phải là JSON.") from exc
        try:
            body = json.loads(raw or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise national.PortalRefusal(INVALID_PAYLOAD,
                                         "Dữ liệu gửi lên không phải JSON hợp lệ.") from exc
        if has_nul(body):
            raise national.PortalRefusal(INVALID_PAYLOAD,
                                         "Dữ liệu gửi lên chứa ký tự NUL (\\u0000).")
        return body

    def answer(self, request, handle) -> Response:
        try:
            return Response(handle(self._body(request)))
        except national.PortalRefusal as refusal:
            return Response(refusal.answer())
        except national.SwitchedFailure:
            return Response({"error_code": "-500", "message": "Lỗi máy chủ (công tắc thử nghiệm)."},
                            status=500)


_PROTOCOL = extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT,
                          tags=["national"])


class NationalTokenApi(_PortalProtocolApi):
    @_PROTOCOL
    def post(self, request):
        """Phiên làm việc của một hệ thống cấp tỉnh (username, password, madonvi)."""
        http = request._request

        def handle(body):
            credentials = national_lockout.session_credentials(body)
            if not national_lockout.session_allowed(http, credentials):
                raise national.PortalRefusal(SESSION_INVALID, national_lockout.lockout_message())
            try:
                answer = national.session_open(body=body)
            except national.PortalRefusal as refusal:
                if (refusal.error_code == SESSION_INVALID
                        and national_lockout.session_failed(http, credentials)):
                    raise national.PortalRefusal(
                        SESSION_INVALID, national_lockout.lockout_message()) from refusal
                raise
            national_lockout.session_succeeded(http, credentials)
            return answer
        return self.answer(request, handle)


class NationalServiceApi(_PortalProtocolApi):
    @_PROTOCOL
    def post(self, request):
        """DongBoHoSoMC hoặc CapNhatTienDoHoSoMC, theo trường service."""
        key = request.headers.get("Idempotency-Key", "")
        return self.answer(request,
                           lambda body: national.national_receive(body=body, idempotency_key=key))


class NationalSessionLookupApi(_PortalProtocolApi):
    @_PROTOCOL
    def post(self, request):
        """Tra cứu trạng thái các hồ sơ của chính đơn vị gửi (dùng khi đối chiếu)."""
        def handle(body):
            if not isinstance(body, dict):
                raise national.PortalRefusal(INVALID_PAYLOAD, "Dữ liệu phải là đối tượng JSON.")
            installation = national.installation_for_session(body.get("session"))
            codes = body.get("MaHoSo")
            if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes) \
                    or len(codes) > 1000:
                raise national.PortalRefusal(
                    INVALID_PAYLOAD, "MaHoSo phải là danh sách tối đa 1000 mã hồ sơ.")
            rows = national.national_lookup(codes=codes, installation=installation)
            return {"error_code": "0", "message": "Thành công", "data": rows}
        return self.answer(request, handle)


class NationalDossierListApi(_NationalOnly):
    """Nationwide lookup for the national side's own staff."""

    permission_classes = [permissions.IsAdminUser]

    @extend_schema(parameters=[
        OpenApiParameter("ma", str, description="Mã hồ sơ (có thể lặp lại)", many=True),
        OpenApiParameter("ma_tinh", int, description="Mã tỉnh"),
    ], responses=OpenApiTypes.OBJECT, tags=["national"])
    def get(self, request):
        province = request.query_params.get("ma_tinh")
        rows = national.national_lookup(
            codes=request.query_params.getlist("ma"),
            province_code=int(province) if province and province.isdigit() else None)
        return Response({"results": rows})


class NationalCountsApi(_NationalOnly):
    permission_classes = [permissions.IsAdminUser]

    @extend_schema(responses=OpenApiTypes.OBJECT, tags=["national"])
    def get(self, request):
        """Số hồ sơ theo tỉnh và theo trạng thái."""
        return Response({"results": national.national_counts()})


class NationalSwitchesApi(_NationalOnly):
    """Test switches: only with MOTCUA_NATIONAL_TEST_SWITCHES set, and its secret in a header."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        secret = settings.MOTCUA_NATIONAL_TEST_SWITCHES
        given = request.headers.get("X-Motcua-Switches", "")
        if not secret or not secrets.compare_digest(secret, given):
            raise Http404

    @extend_schema(responses=OpenApiTypes.OBJECT, tags=["national"])
    def get(self, request):
        return Response(national.switches_state())

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT, tags=["national"])
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        return Response(national.switches_set(body=body))
