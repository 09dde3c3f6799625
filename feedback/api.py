"""/api/v1/feedback/…: send and follow an item (anyone), the published answers (anyone), and
the staff's list, detail, actions and statistics."""

from datetime import date

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.lockout import lockout_client_ip
from accounts.models import PersonalDataAccess, Unit, User
from accounts.services.data_access import personal_data_read
from catalog.selectors import procedure_get
from dossiers.selectors import dossier_mine_get
from feedback import serializers as s
from feedback.forms import uploads_of
from feedback.models import Channel
from feedback.report import period_moments, six_month_period
from feedback.selectors import (
    GROUPS,
    feedback_get,
    feedback_inbox,
    feedback_statistics,
    public_answers,
    sender_status,
    staff_unit_ids,
)
from feedback.services import feedback_act, feedback_lookup_attempt, feedback_submit
from feedback.states import SenderActor
from motcua.cross_site import staff_read_api
from motcua.errors import DomainError, NotAllowed


def _staff(request) -> set[int]:
    units = staff_unit_ids(request.user)
    if not units:
        raise NotAllowed("forbidden", "Chỉ dành cho cán bộ xử lý phản ánh, kiến nghị.",
                         "For feedback officers only.", http_status=403)
    return units


class SendApi(APIView):
    """Send an item (no account needed). `letter`/`phone` are recorded by a unit's officer."""

    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=s.FeedbackSendSerializer, responses={201: s.FeedbackSentSerializer})
    def post(self, request):
        data = s.FeedbackSendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        unit = None
        if v["unit"]:
            unit = Unit.objects.filter(code=v["unit"], is_active=True).first()
            if unit is None:
                raise DomainError("invalid", "Không có cơ quan với mã này.",
                                  "No unit with this code.", fields={"unit": ["Không tồn tại."]})
        if v["procedure_code"] and procedure_get(v["procedure_code"]) is None:
            raise DomainError("invalid", "Không tìm thấy thủ tục.", "No such procedure.",
                              fields={"procedure_code": ["Không tồn tại."]})
        dossier = None
        if v["dossier_code"]:
            if not request.user.is_authenticated:
                raise NotAllowed("forbidden", "Cần đăng nhập để gửi về hồ sơ của mình.",
                                 "Log in to send feedback about your dossier.", http_status=401)
            dossier = dossier_mine_get(user=request.user, code=v["dossier_code"])
        staff_channel = v["channel"] in (Channel.LETTER, Channel.PHONE)
        item = feedback_submit(
            title=v["title"], content=v["content"], sender_name=v["sender_name"],
            sender_phone=v["sender_phone"], sender_email=v["sender_email"],
            sender_address=v["sender_address"], publish_consent=v["publish_consent"], unit=unit,
            procedure_code=v["procedure_code"], dossier=dossier,
            channel=v["channel"] if staff_channel else (
                Channel.DOSSIER if dossier else Channel.PROCEDURE if v["procedure_code"]
                else Channel.PORTAL),
            sender_user=None if staff_channel else request.user,
            recorded_by=request.user if staff_channel and request.user.is_authenticated
            else None, files=uploads_of(request.FILES.getlist("files")),
            sent_from=None if staff_channel else lockout_client_ip(request) or "")
        return Response({"code": item.code, "secret": item.lookup_secret},
                        status=status.HTTP_201_CREATED)


class LookupApi(APIView):
    """Follow an item with its code and a second factor (wrong tries are counted)."""

    permission_classes = [AllowAny]

    @extend_schema(request=s.FeedbackLookupSerializer, responses={200: s.FeedbackStatusSerializer})
    def post(self, request):
        data = s.FeedbackLookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = feedback_lookup_attempt(code=data.validated_data["code"],
                                       factor=data.validated_data["factor"],
                                       address=lockout_client_ip(request) or "")
        return Response(s.FeedbackStatusSerializer(sender_status(item)).data)


class RateApi(APIView):
    """The sender rates the answer; "not_satisfied" reopens the item for review once."""

    permission_classes = [AllowAny]

    @extend_schema(request=s.FeedbackRateSerializer, responses={200: s.FeedbackStatusSerializer})
    def post(self, request):
        data = s.FeedbackRateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        item = feedback_lookup_attempt(code=v["code"], factor=v["factor"],
                                       address=lockout_client_ip(request) or "")
        item = feedback_act(feedback=item, actor=SenderActor(code=item.code), action="rate",
                            reason=v["note"], data={"rating": v["rating"]})
        return Response(s.FeedbackStatusSerializer(sender_status(item)).data)


class AnswersApi(APIView):
    """Published answers; `q` matches every word, diacritics ignored."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("procedure", str)],
                   responses=s.FeedbackAnswerSerializer(many=True))
    def get(self, request):
        rows = public_answers(query=request.query_params.get("q", "")[:200],
                              procedure_code=request.query_params.get("procedure", "")[:40])
        return Response(s.FeedbackAnswerSerializer(rows, many=True).data)


class ItemListApi(ListAPIView):
    serializer_class = s.FeedbackSerializer

    def get_queryset(self):
        _staff(self.request)
        return feedback_inbox(user=self.request.user,
                              box=self.request.query_params.get("box", "all"))

    @extend_schema(parameters=[OpenApiParameter(
        "box", str, description="open, overdue, late_forward, done, all")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _read(request, item) -> None:
    personal_data_read(actor=request.user, subject=item.sender_phone or item.sender_email,
                       subject_name=item.sender_name,
                       action=PersonalDataAccess.Action.FEEDBACK_VIEW,
                       purpose="Xử lý phản ánh, kiến nghị (API)", reference=item.code,
                       unit=item.handling_unit_id)


class ItemDetailApi(APIView):
    @extend_schema(responses=s.FeedbackDetailSerializer)
    @staff_read_api
    def get(self, request, code: str):
        _staff(request)
        item = feedback_get(user=request.user, code=code)
        _read(request, item)
        return Response(s.FeedbackDetailSerializer(item).data)


class ItemActionApi(APIView):
    """One action of the transition table (feedback/states.py) on an item."""

    @extend_schema(request=s.FeedbackActionSerializer, responses=s.FeedbackDetailSerializer)
    def post(self, request, code: str, action: str):
        _staff(request)
        item = feedback_get(user=request.user, code=code)
        data = s.FeedbackActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        values = {"kind": v["kind"], "answer": v["answer"], "general": v["general"],
                  "unit": Unit.objects.filter(code=v["unit"]).first() if v["unit"] else None,
                  "assignee": User.objects.filter(username=v["assignee"]).first()
                  if v["assignee"] else None}
        item = feedback_act(feedback=item, actor=request.user, action=action,
                            reason=v["reason"], data=values)
        _read(request, item)
        return Response(s.FeedbackDetailSerializer(item).data)


def _day(text: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return fallback


class StatisticsApi(APIView):
    """Figures of the caller's units for a period (default: the current half-year)."""

    @extend_schema(parameters=[OpenApiParameter("from", str, description="YYYY-MM-DD"),
                               OpenApiParameter("to", str, description="YYYY-MM-DD"),
                               OpenApiParameter("by", str, description=", ".join(GROUPS))],
                   responses=s.FeedbackStatisticsSerializer)
    def get(self, request):
        units = _staff(request)
        first, last, _label = six_month_period(timezone.localdate())
        start = _day(request.query_params.get("from"), first)
        end = _day(request.query_params.get("to"), last)
        by = request.query_params.get("by", "unit")
        if by not in GROUPS:
            raise DomainError("invalid", "Cách nhóm không hợp lệ.", "Unknown grouping.",
                              fields={"by": [", ".join(GROUPS)]})
        first_moment, last_moment = period_moments(start, end)
        total, rows = feedback_statistics(start=first_moment, end=last_moment, by=by,
                                          unit_ids=units)
        return Response(s.FeedbackStatisticsSerializer({
            "total": total,
            "rows": [{"key": k, "label": label, "figures": f} for k, label, f in rows]}).data)
