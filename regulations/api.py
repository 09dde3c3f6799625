"""JSON API of the register under /api/v1/ (token or session, staff only)."""

from datetime import date

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Unit
from motcua.errors import DomainError
from regulations import selectors, services
from regulations.models import ReviewRound
from regulations.serializers import (
    ProposalSerializer,
    ProvisionActionSerializer,
    ProvisionCreateSerializer,
    ProvisionEventSerializer,
    ProvisionSerializer,
    RoundCreateSerializer,
    RoundSerializer,
    SummarySerializer,
)


def _staff(request) -> None:
    if not selectors.can_view_register(request.user):
        raise PermissionDenied("Chỉ cán bộ có vai trò tại một đơn vị mới xem sổ rà soát.")


def _unit(code: str, field: str) -> Unit:
    unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise DomainError("invalid", f"Không có đơn vị mã {code}.", f"No unit with code {code}.",
                          fields={field: ["Mã đơn vị không tồn tại."]})
    return unit


def _round(request, pk: int) -> ReviewRound:
    r = ReviewRound.objects.select_related("unit").filter(pk=pk).first()
    if r is None or not selectors.can_view_round(request.user, r):
        raise Http404
    return r


def _provision(request, pk: int):
    p = selectors.provision_get(pk)
    if p is None or not selectors.can_view_round(request.user, p.round):
        raise Http404
    return p


class RoundListApi(ListAPIView):
    """The review rounds the person runs or takes part in."""

    serializer_class = RoundSerializer

    def get_queryset(self):
        _staff(self.request)
        return selectors.rounds_visible(self.request.user).order_by("-start_date", "-id")

    @extend_schema(request=RoundCreateSerializer, responses={201: RoundSerializer})
    def post(self, request):
        _staff(request)
        services.round_opener_check(request.user)
        s = RoundCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = dict(s.validated_data)
        r = services.round_create(actor=request.user, unit=_unit(v.pop("unit"), "unit"), **v)
        return Response(RoundSerializer(r).data, status=status.HTTP_201_CREATED)


class RoundDetailApi(APIView):
    @extend_schema(responses=RoundSerializer)
    def get(self, request, pk: int):
        return Response(RoundSerializer(_round(request, pk)).data)


class RoundProvisionsApi(APIView):
    @extend_schema(responses=ProvisionSerializer(many=True))
    def get(self, request, pk: int):
        r = _round(request, pk)
        return Response(ProvisionSerializer(selectors.round_provisions(r), many=True).data)

    @extend_schema(request=ProvisionCreateSerializer, responses={201: ProvisionSerializer})
    def post(self, request, pk: int):
        r = _round(request, pk)
        s = ProvisionCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        p = services.provision_add(
            actor=request.user, review_round=r, kind=v["kind"],
            unit=_unit(v["unit"], "unit") if v.get("unit") else None,
            procedure_code=v.get("procedure_code", ""), element_id=v.get("element"),
            legal_text=v.get("legal_text", ""), content=v.get("content", ""))
        return Response(ProvisionSerializer(selectors.provision_get(p.pk)).data,
                        status=status.HTTP_201_CREATED)


class ProvisionDetailApi(APIView):
    @extend_schema(responses=ProvisionSerializer)
    def get(self, request, pk: int):
        return Response(ProvisionSerializer(_provision(request, pk)).data)

    @extend_schema(request=ProposalSerializer, responses=ProvisionSerializer,
                   description="Điền hoặc sửa phương án khi quy định đang rà soát.")
    def patch(self, request, pk: int):
        p = _provision(request, pk)
        s = ProposalSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.proposal_save(actor=request.user, provision=p, data=dict(s.validated_data))
        return Response(ProvisionSerializer(selectors.provision_get(pk)).data)


class ProvisionEventsApi(APIView):
    @extend_schema(responses=ProvisionEventSerializer(many=True))
    def get(self, request, pk: int):
        p = _provision(request, pk)
        return Response(ProvisionEventSerializer(p.events.select_related("actor"),
                                                 many=True).data)


class ProvisionActionApi(APIView):
    @extend_schema(request=ProvisionActionSerializer, responses=ProvisionSerializer,
                   description="propose, return (lý do), approve (decision_number, "
                               "decision_date, effective_date), reject (lý do).")
    def post(self, request, pk: int, action: str):
        p = _provision(request, pk)
        s = ProvisionActionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        services.provision_act(actor=request.user, provision=p, action=action,
                               reason=data.pop("reason", ""), data=data)
        return Response(ProvisionSerializer(selectors.provision_get(pk)).data)


def _day(value: str | None, default: date, field: str) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError("invalid", "Ngày phải có dạng YYYY-MM-DD.",
                          "Dates are YYYY-MM-DD.", fields={field: ["Ngày không hợp lệ."]}
                          ) from None


class SummaryApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("start", str, description="YYYY-MM-DD"),
                               OpenApiParameter("end", str, description="YYYY-MM-DD")],
                   responses=SummarySerializer,
                   description="Tổng hợp các đợt bắt đầu trong kỳ, so với mục tiêu 20 % của "
                               "Nghị quyết 68/NQ-CP.")
    def get(self, request):
        _staff(request)
        today = timezone.localdate()
        start = _day(request.query_params.get("start"), date(today.year, 1, 1), "start")
        end = _day(request.query_params.get("end"), date(today.year, 12, 31), "end")
        return Response(SummarySerializer(selectors.period_summary(start=start,
                                                                   end=end)).data)
