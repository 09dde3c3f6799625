"""/api/v1/cong-dan/tra-cuu/: pre-fill from the population database; and its simulator."""

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.errors import DomainError
from sync import national
from sync.population import citizen_lookup, simulator_find


class CitizenLookupInput(serializers.Serializer):
    so_dinh_danh = serializers.CharField(max_length=12)
    muc_dich = serializers.CharField(max_length=255,
                                     help_text="Vì sao cần tra cứu (được ghi nhật ký).")


class CitizenSerializer(serializers.Serializer):
    so_dinh_danh = serializers.CharField(source="personal_id")
    ho_ten = serializers.CharField(source="full_name")
    ngay_sinh = serializers.DateField(source="date_of_birth", allow_null=True)
    gioi_tinh = serializers.CharField(source="gender")
    noi_thuong_tru = serializers.CharField(source="address")


class CitizenLookupApi(APIView):
    """Staff at the counter, or an applicant for their own number; every call is logged."""

    @extend_schema(request=CitizenLookupInput, responses=CitizenSerializer, tags=["citizens"])
    def post(self, request):
        data = CitizenLookupInput(data=request.data)
        data.is_valid(raise_exception=True)
        citizen = citizen_lookup(actor=request.user,
                                 personal_id=data.validated_data["so_dinh_danh"],
                                 purpose=data.validated_data["muc_dich"])
        return Response(CitizenSerializer(citizen).data)


class PopulationSimulatorApi(APIView):
    """National mode: the population database's simulator, for installations with a session."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=CitizenLookupInput, responses=CitizenSerializer, tags=["national"])
    def post(self, request):
        if settings.MOTCUA_MODE != "national":
            raise Http404
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        try:
            national.installation_for_session(token)
        except national.PortalRefusal as exc:
            raise DomainError("not_authenticated", exc.message, "Invalid session.",
                              http_status=401) from exc
        body = request.data if isinstance(request.data, dict) else {}
        citizen = simulator_find(personal_id=body.get("so_dinh_danh"))
        if citizen is None:
            raise DomainError("not_found", "Không tìm thấy công dân.", "Not found.",
                              http_status=404)
        return Response(citizen.to_record())
