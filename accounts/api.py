"""/api/v1/auth/token/: an API token for a username and password — and, for the staff who owe
a second factor (accounts/second_factor.py), the code of their authenticator or a recovery code.
"""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.second_factor import (
    has_second_factor,
    second_factor_match,
    second_factor_required,
)
from accounts.tokens import token_issue
from motcua.errors import DomainError


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                help_text="Mã xác thực hai bước (6 chữ số) hoặc mã khôi phục; "
                                          "bắt buộc với lãnh đạo, quản trị và cán bộ tiếp nhận.")


class ObtainTokenApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer,
                   responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}))
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(request=request, username=body.validated_data["username"],
                            password=body.validated_data["password"])
        if user is None or not user.is_active:
            raise DomainError("authentication_failed", "Tên đăng nhập hoặc mật khẩu không đúng.",
                              "Wrong username or password.", http_status=400)
        if second_factor_required(user):
            if not has_second_factor(user):
                raise DomainError("second_factor_setup",
                                  "Tài khoản cần thiết lập xác thực hai bước trên trang web "
                                  "trước khi lấy mã truy cập API.",
                                  "Set up the second factor on the web site first.",
                                  fields={"otp": ["Chưa thiết lập."]}, http_status=403)
            if second_factor_match(user=user, token=body.validated_data.get("otp", "")) is None:
                raise DomainError("second_factor_required",
                                  "Cần mã xác thực hai bước đúng (6 chữ số trên ứng dụng xác "
                                  "thực, hoặc một mã khôi phục).",
                                  "A valid second-factor code is required.",
                                  fields={"otp": ["Mã không đúng hoặc thiếu."]}, http_status=400)
        # The key is shown here once: only its digest is kept (accounts/tokens.py).
        return Response({"token": token_issue(user)})
