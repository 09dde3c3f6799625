"""JSON API of the index figures under /api/v1/ (token auth, like the dossiers API)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from metrics import selectors, services
from metrics.periods import period_parse


class MetricsReportApi(APIView):
    """The 766 figures of a unit and its direct children for a period (non-personal data)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("don-vi", str, description="Mã đơn vị; mặc định: đơn vị gốc của "
                                                        "người dùng"),
            OpenApiParameter("ky", str, enum=["thang", "quy", "6thang", "9thang", "nam"]),
            OpenApiParameter("nam", int), OpenApiParameter("so", int,
                                                           description="tháng 1–12 hoặc quý 1–4"),
        ],
        responses=OpenApiTypes.OBJECT)
    def get(self, request):
        now = timezone.now()
        unit = selectors.unit_for_user(request.user, request.query_params.get("don-vi"))
        period = period_parse(request.query_params, timezone.localdate(now))
        return Response(services.report_table(unit=unit, period=period, now=now))
