"""JSON API of the results app under /api/v1/."""

from django.http import FileResponse
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.lockout import lockout_client_ip
from dossiers.models import DossierDocument
from dossiers.selectors import dossier_get
from motcua.cross_site import staff_read_api
from motcua.errors import DomainError
from results.models import StoredDocument
from results.selectors import store_for_owner, stored_get
from results.serializers import (
    ReuseSerializer,
    StoredDocumentSerializer,
    VerificationReportSerializer,
    VerifyUploadSerializer,
)
from results.services import (
    digitised_store,
    stored_document_reuse,
    stored_download_logged,
    stored_download_record,
)
from results.verification import pdf_verify
from results.verification_limits import verification_try
from results.views import MAX_UPLOAD_BYTES, _file_response


class VerifyApi(APIView):
    """Anyone may check a signed PDF; nothing is stored."""

    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    @extend_schema(request=VerifyUploadSerializer, responses=VerificationReportSerializer)
    def post(self, request):
        upload = VerifyUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise DomainError("invalid", "Tệp quá lớn (tối đa 20 MB).", "File too large (20 MB).",
                              fields={"file": ["Tối đa 20 MB."]})
        verification_try(address=lockout_client_ip(request) or "")
        return Response(pdf_verify(file.read()).as_dict())


class MyStoreApi(ListAPIView):
    """The logged-in person's data store."""

    serializer_class = StoredDocumentSerializer

    def get_queryset(self):
        return store_for_owner(user=self.request.user).select_related("dossier")


class StoredDownloadApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    @staff_read_api(when=lambda request: stored_download_logged(request.user))
    def get(self, request, uid: str) -> FileResponse:
        stored = stored_get(user=request.user, uid=uid)
        stored_download_record(actor=request.user, stored=stored)
        return _file_response(stored)


class DocumentReuseApi(APIView):
    """Use a document of the owner's store for a paper of their dossier (marks it reused)."""

    @extend_schema(request=ReuseSerializer, responses=StoredDocumentSerializer)
    def post(self, request, code: str, document_id: int):
        dossier = dossier_get(user=request.user, code=code)
        if dossier.applicant_user_id != request.user.pk and not _desk_of(request.user, dossier):
            raise DomainError("permission_denied", "Chỉ người nộp hồ sơ hoặc bộ phận một cửa "
                              "được dùng lại giấy tờ từ kho dữ liệu.",
                              "Only the applicant or the receiving desk may reuse documents.",
                              http_status=403)
        document = DossierDocument.objects.filter(dossier=dossier, pk=document_id).first()
        if document is None:
            raise DomainError("not_found", "Không có giấy tờ này trong hồ sơ.",
                              "No such document in the dossier.", http_status=404)
        body = ReuseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        stored = StoredDocument.objects.filter(uid=body.validated_data["stored"]).first()
        if stored is None:
            raise DomainError("not_found", "Không có giấy tờ này trong kho dữ liệu.",
                              "No such stored document.", http_status=404)
        stored_document_reuse(stored=stored, dossier_document=document, actor=request.user)
        return Response(StoredDocumentSerializer(stored).data)


def _desk_of(user, dossier) -> bool:
    from accounts.models import Role
    from accounts.selectors import user_has_role

    return user_has_role(user, unit_id=dossier.receiving_unit_id, role=Role.RECEIVING)


class DigitiseApi(APIView):
    """The receiving desk uploads the scan (PDF) of a paper: signed, kept in the owner's store."""

    parser_classes = [MultiPartParser]

    @extend_schema(request=VerifyUploadSerializer, responses={201: StoredDocumentSerializer})
    def post(self, request, code: str, document_id: int):
        dossier = dossier_get(user=request.user, code=code)
        if not _desk_of(request.user, dossier):
            raise DomainError("permission_denied", "Chỉ bộ phận một cửa tiếp nhận hồ sơ được số "
                              "hóa giấy tờ.", "Only the receiving desk may digitise papers.",
                              http_status=403)
        document = DossierDocument.objects.filter(dossier=dossier, pk=document_id).first()
        if document is None:
            raise DomainError("not_found", "Không có giấy tờ này trong hồ sơ.",
                              "No such document in the dossier.", http_status=404)
        upload = VerifyUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise DomainError("invalid", "Tệp quá lớn (tối đa 20 MB).", "File too large (20 MB).",
                              fields={"file": ["Tối đa 20 MB."]})
        stored = digitised_store(dossier_document=document, content=file.read(),
                                 actor=request.user, unit=dossier.receiving_unit)
        return Response(StoredDocumentSerializer(stored).data, status=201)
