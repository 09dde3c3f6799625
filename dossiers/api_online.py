"""The citizen's JSON API under /api/v1/: submit online with uploads, list own dossiers, send a
supplement, download a file. Multipart in; shapes in dossiers/serializers.py; rules in
dossiers/services/online.py."""

from django.http import FileResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Unit
from catalog.models import Variant
from dossiers import selectors
from dossiers.serializers import DossierDetailSerializer, DossierSerializer
from dossiers.services.online import (
    dossier_submit_online,
    online_receiving_units,
    supplement_submit,
)
from dossiers.services.personal_data import file_personal_read, personal_read_logged
from motcua import inputs
from motcua.cross_site import staff_read_api
from motcua.downloads import download_protect
from motcua.errors import DomainError
from motcua.inputs import InputSerializerField, id_parse
from motcua.pagination import CappedCountPagination

APPLICANT_KEYS = ("kind", "name", "id_number", "address", "phone", "email", "owner_name",
                  "owner_id_number")


class OnlineSubmitSerializer(serializers.Serializer):
    variant = serializers.IntegerField(help_text="Mã (id) trường hợp của thủ tục.")
    receiving_unit = serializers.CharField(
        required=False, help_text="Mã định danh nơi tiếp nhận; mặc định nơi đầu tiên được gợi ý.")
    applicant_kind = serializers.IntegerField(required=False, default=1)
    # The rules of motcua/inputs.py: the same check and message as the web forms'.
    applicant_name = InputSerializerField(rule=inputs.NAME, required=False, allow_blank=True)
    applicant_id_number = InputSerializerField(rule=inputs.ID_NUMBER, required=False,
                                               allow_blank=True)
    applicant_address = InputSerializerField(rule=inputs.ADDRESS, required=False,
                                             allow_blank=True)
    applicant_phone = InputSerializerField(rule=inputs.PHONE, required=False, allow_blank=True)
    applicant_email = InputSerializerField(rule=inputs.EMAIL, required=False, allow_blank=True)
    applicant_owner_name = InputSerializerField(rule=inputs.NAME, required=False,
                                                allow_blank=True)
    applicant_owner_id_number = InputSerializerField(rule=inputs.ID_NUMBER, required=False,
                                                     allow_blank=True)
    summary = InputSerializerField(rule=inputs.SUMMARY, required=False, allow_blank=True)
    return_method = InputSerializerField(rule=inputs.SHORT_LINE, required=False,
                                         allow_blank=True)
    doc_ID = serializers.ListField(
        child=serializers.FileField(), required=False,
        help_text="Tệp của giấy tờ có id = ID (thay ID bằng số, ví dụ doc_12); lặp lại cho "
                  "nhiều tệp. PDF, JPEG, PNG, DOCX, XLSX, kiểm tra theo nội dung.")


class SupplementSerializer(serializers.Serializer):
    note = InputSerializerField(rule=inputs.NOTE, required=False, allow_blank=True)
    doc_ID = serializers.ListField(child=serializers.FileField(), required=False,
                                   help_text="Tệp bổ sung cho giấy tờ có id = ID.")


def _uploads(request, variant: Variant) -> list[tuple[int | None, object]]:
    ids = {d.pk for d in variant.documents.all()}
    uploads = []
    for key in request.FILES:
        raw = key[len("doc_"):] if key.startswith("doc_") else ""
        doc_id = id_parse(raw)
        if doc_id not in ids:
            raise DomainError("invalid", f"Trường tệp “{key}” không ứng với giấy tờ nào của "
                              "trường hợp đã chọn.", f"File field '{key}' names no paper.",
                              fields={key: ["Không hợp lệ."]})
        uploads += [(doc_id, f) for f in request.FILES.getlist(key)]
    return uploads


class MyDossiersApi(ListAPIView):
    serializer_class = DossierSerializer
    # The same answer as the staff list's (one schema); a business may file thousands.
    pagination_class = CappedCountPagination
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.dossier_mine(user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": OnlineSubmitSerializer},
        responses={201: DossierDetailSerializer, 200: DossierDetailSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                     description="Gửi lại cùng khóa không tạo hồ sơ thứ hai.")])
    def post(self, request):
        """Nộp hồ sơ trực tuyến (kênh 2) kèm tệp: hồ sơ ở trạng thái 1 (mới đăng ký)."""
        s = OnlineSubmitSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        variant = Variant.objects.select_related("procedure").filter(pk=v["variant"]).first()
        if variant is None:
            raise DomainError("invalid", "Trường hợp thủ tục không tồn tại.", "Unknown variant.",
                              fields={"variant": ["Không tồn tại."]})
        units = online_receiving_units(variant.procedure)
        code = v.get("receiving_unit")
        unit = next((u for u in units if u.code == code), None) if code else \
            (units[0] if units else None)
        if unit is None:
            known = Unit.objects.filter(code=code).exists() if code else False
            raise DomainError("invalid", "Nơi tiếp nhận không nhận hồ sơ của thủ tục này."
                              if known else "Cần chỉ rõ nơi tiếp nhận hồ sơ.",
                              "Unknown or unsuitable receiving unit.",
                              fields={"receiving_unit": ["Không hợp lệ."]})
        key = request.headers.get("Idempotency-Key", "").strip()[:100]
        data = {"applicant": {k: v.get(f"applicant_{k}", "") for k in APPLICANT_KEYS},
                "summary": v.get("summary", ""), "return_method": v.get("return_method", "")}
        dossier, created = dossier_submit_online(
            user=request.user, variant=variant, receiving_unit=unit, data=data,
            uploads=_uploads(request, variant), idempotency_key=key)
        dossier = selectors.dossier_with_details(pk=dossier.pk)
        body = DossierDetailSerializer(dossier, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class MySupplementApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": SupplementSerializer},
                   responses=DossierDetailSerializer)
    def post(self, request, code: str):
        """Bổ sung hồ sơ trực tuyến: tải tệp lên rồi hồ sơ tiếp tục được giải quyết."""
        dossier = selectors.dossier_mine_get(user=request.user, code=code)
        s = SupplementSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        dossier = supplement_submit(user=request.user, dossier=dossier,
                                    uploads=_uploads(request, dossier.variant),
                                    note=s.validated_data.get("note", ""))
        dossier = selectors.dossier_with_details(pk=dossier.pk)
        return Response(DossierDetailSerializer(dossier, context={"request": request}).data)


class FileDownloadApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @staff_read_api(when=lambda request: personal_read_logged(request.user))
    def get(self, request, token: str):
        """Tải tệp đính kèm (chỉ khi được xem hồ sơ); luôn dạng tệp tải về."""
        row = selectors.file_get(user=request.user, token=str(token))
        file_personal_read(actor=request.user, row=row)
        response = FileResponse(row.file.open("rb"), as_attachment=True,
                                filename=row.download_name, content_type=row.content_type)
        # The same headers as the web download: the API is one more way to the same file.
        return download_protect(response)
