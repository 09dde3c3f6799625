"""/api/v1/dossiers/<code>/evaluation/: read or submit the applicant's evaluation."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import PersonalDataAccess
from dossiers.selectors import dossier_get, dossier_is_own
from dossiers.services.personal_data import dossier_personal_read, personal_read_logged
from evaluations.models import Evaluation
from evaluations.selectors import evaluation_of
from evaluations.serializers import (
    EvaluationConfirmInSerializer,
    EvaluationConfirmSerializer,
    EvaluationInSerializer,
    EvaluationSerializer,
)
from evaluations.services import (
    evaluation_confirm,
    evaluation_confirm_resend,
    evaluation_submit,
)
from motcua.cross_site import staff_read_api
from motcua.errors import DomainError


def _evaluation(dossier):
    """The dossier's evaluation; 404 in the house format when it has none yet."""
    evaluation = evaluation_of(dossier)
    if evaluation is None:
        raise DomainError("not_evaluated", "Hồ sơ chưa được đánh giá.",
                          "The dossier has not been evaluated.", http_status=404)
    return evaluation


class DossierEvaluationApi(APIView):
    """Whoever may see the dossier may read its evaluation. The dossier's applicant submits it
    online; a desk officer of the receiving unit submits it from a counter kiosk — recorded as
    officer-entered, counted in the indexes once the applicant confirms it (`confirm/`)."""

    @extend_schema(responses={200: EvaluationSerializer})
    @staff_read_api(when=lambda request: personal_read_logged(request.user))
    def get(self, request, code: str):
        dossier = dossier_get(user=request.user, code=code)
        evaluation = _evaluation(dossier)
        # The comment is the applicant's own words about their dossier and often holds their
        # name, phone or address: staff reading it is a read of the dossier's owner, logged
        # as the admin's page of the evaluation is (Decree 13/2023/NĐ-CP art. 9).
        dossier_personal_read(actor=request.user, dossier=dossier,
                              action=PersonalDataAccess.Action.DOSSIER_OPEN,
                              purpose="Xem đánh giá của người nộp hồ sơ (API)")
        return Response(EvaluationSerializer(evaluation).data)

    @extend_schema(request=EvaluationInSerializer, responses={201: EvaluationSerializer})
    def post(self, request, code: str):
        dossier = dossier_get(user=request.user, code=code)
        data = EvaluationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channel = (Evaluation.Channel.ONLINE if dossier_is_own(dossier, request.user)
                   else Evaluation.Channel.KIOSK)
        evaluation = evaluation_submit(dossier=dossier, answers=data.validated_data,
                                       channel=channel, actor=request.user)
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


class DossierEvaluationConfirmApi(APIView):
    """A kiosk evaluation a desk officer entered: `{"code": "123456"}`, the one-time code sent to
    the dossier's contact and typed by the applicant, makes it count in the indexes;
    `{"resend": true}` sends a new code (at most three). Desk officers of the receiving unit."""

    @extend_schema(request=EvaluationConfirmInSerializer,
                   responses={200: EvaluationConfirmSerializer})
    def post(self, request, code: str):
        dossier = dossier_get(user=request.user, code=code)
        evaluation = _evaluation(dossier)
        data = EvaluationConfirmInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sent = 0
        if data.validated_data.get("resend"):
            sent = evaluation_confirm_resend(evaluation=evaluation, actor=request.user)
        else:
            if not data.validated_data.get("code"):
                raise DomainError("invalid", "Nhập mã xác nhận.", "Enter the code.",
                                  fields={"code": ["required"]})
            evaluation = evaluation_confirm(evaluation=evaluation, actor=request.user,
                                            code=data.validated_data["code"])
        evaluation.refresh_from_db()
        return Response(EvaluationConfirmSerializer(
            {"confirmed": evaluation.confirmed_at is not None, "sent": sent}).data)
