"""Public JSON API of the procedure catalog under /api/v1/procedures/."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors, services
from catalog.models import Procedure
from catalog.search import MAX_QUERY_CHARS
from catalog.serializers import ProcedureDetailSerializer, ProcedureSerializer
from motcua.errors import DomainError


class ProcedureListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ProcedureSerializer

    def get_queryset(self):
        p = self.request.query_params
        if len(p.get("q", "").strip()) > MAX_QUERY_CHARS:
            raise DomainError(
                "query_too_long",
                f"Từ khóa tìm kiếm dài quá {MAX_QUERY_CHARS} ký tự; hãy gõ ngắn gọn tên thủ tục "
                "hoặc việc cần làm.",
                f"The search text is longer than {MAX_QUERY_CHARS} characters; type the "
                "procedure's name or what you need in fewer words.",
                fields={"q": [f"Tối đa {MAX_QUERY_CHARS} ký tự."]})
        level, online_level = p.get("level") or None, p.get("online_level") or None
        wrong = {name: [_("Chọn một trong: %(values)s.") % {"values": ", ".join(choices)}]
                 for name, value, choices in (("level", level, Procedure.Level.values),
                                              ("online_level", online_level,
                                               Procedure.OnlineLevel.values))
                 if value is not None and value not in choices}
        if wrong:
            raise DomainError(
                "invalid_filter", "Giá trị lọc không hợp lệ; `fields` nêu các giá trị được chọn.",
                "A filter value is not valid; `fields` lists the values to choose from.",
                fields=wrong)
        outcome = selectors.procedure_search(
            query=p.get("q", ""), with_help=False, level=level, online_level=online_level)
        if not outcome.good:
            services.unmatched_search_record(query=outcome.query)
        return outcome.procedures.select_related("field")

    @extend_schema(parameters=[
        OpenApiParameter("q", str, description=(
            "Tên thủ tục, mã thủ tục hoặc việc cần làm, có dấu hay không dấu (tối đa "
            f"{MAX_QUERY_CHARS} ký tự). Kết quả xếp theo mức phù hợp, giống trang tra cứu.")),
        OpenApiParameter("level", str, enum=["bo", "tinh", "xa", "khac"]),
        OpenApiParameter("online_level", str, enum=["information", "partial", "full"]),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProcedureDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ProcedureDetailSerializer)
    def get(self, request, code: str):
        procedure = selectors.procedure_get(code)
        if procedure is None:
            raise Http404("Không tìm thấy thủ tục.")
        return Response(ProcedureDetailSerializer(procedure).data)
