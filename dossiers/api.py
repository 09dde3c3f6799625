"""JSON API for dossiers under /api/v1/."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Unit, User
from dossiers import selectors
from dossiers.list_filters import DUE_CHOICES, is_personal_search
from dossiers.serializers import (
    ActionSerializer,
    DossierCreateSerializer,
    DossierDetailSerializer,
    DossierRowSerializer,
    EventSerializer,
)
from dossiers.services import dossier_act, dossier_create
from dossiers.services.personal_data import ACTION, dossier_personal_read
from dossiers.states import transition
from dossiers.work_lists import WorkList, work_list
from motcua.body_validation import BodyValidator
from motcua.cross_site import staff_read_api
from motcua.errors import DomainError
from motcua.pagination import CappedCountPagination


def _receiving_unit(request, code: str | None) -> Unit | None:
    """The unit the body names by its code; None: the desk of the officer's one unit, which
    dossier_create finds from the roles its first statement reads (dossiers/reference.py)."""
    if code:
        unit = Unit.objects.filter(code=code, is_active=True).first()
        if unit is None:
            raise DomainError("invalid", f"Không có đơn vị mã {code}.",
                              f"No unit with code {code}.",
                              fields={"receiving_unit": ["Mã đơn vị không tồn tại."]})
        return unit
    return None


def _number_search_check(request) -> None:
    """A search by ID or phone number through the browser's session only from the site's own
    pages. The session cookie goes with any top-level link, so `…/api/v1/dossiers/?q=<number>`
    opened from another site would read and log a search the officer never made (Decree
    13/2023/NĐ-CP art. 9; motcua/search_proof.py). A token in the Authorization header is never
    sent by a browser on its own, so a client with a token is not asked; the API docs page's
    requests are same-origin fetches (`Sec-Fetch-Site: same-origin`, which no page can forge)."""
    if not isinstance(request.successful_authenticator, SessionAuthentication):
        return
    if request.headers.get("Sec-Fetch-Site", "").strip().lower() != "same-origin":
        raise DomainError(
            "permission_denied",
            "Tìm theo số giấy tờ hoặc số điện thoại bằng phiên đăng nhập của trình duyệt chỉ "
            "chạy từ trang của hệ thống; chương trình khác dùng token API.",
            "A search by ID or phone number with the browser's session runs only from the "
            "system's own pages; other clients use an API token.", http_status=403)


# The bodies of the filing and of an action, validated by their serializers' fields bound once
# per process (issue #18).
_FILING_BODY = BodyValidator(DossierCreateSerializer)
_ACTION_BODY = BodyValidator(ActionSerializer)


class DossierListCreateApi(ListAPIView):
    serializer_class = DossierRowSerializer
    pagination_class = CappedCountPagination

    def _work(self) -> WorkList:
        if not hasattr(self, "_work_list"):
            work = work_list(self.request.user, self.request.query_params)
            if is_personal_search(work.filters):
                _number_search_check(self.request)
            self._work_list = work
        return self._work_list

    def get_queryset(self):
        """The staff lists' search and filters with the row-level rule chosen from them, as the
        pages read them (dossiers/work_lists.py): the same filters read exactly the rows the page
        lists."""
        params = self.request.query_params
        work = self._work()
        box = params.get("box")
        if box:
            return work.box(box)
        qs = work.visible()
        state = params.get("state")
        return qs.filter(state=state) if state else qs

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # A search by ID or phone number reads who filed under it, as on the pages.
        self._work().rows_read(queryset if page is None else page)
        return page

    @extend_schema(parameters=[
        OpenApiParameter("box", str, description="receive, process, approve, return, paused, all"),
        OpenApiParameter("state", str),
        OpenApiParameter("q", str, description="Mã hồ sơ (hoặc phần đầu), số giấy tờ, số điện "
                         "thoại hoặc tên người nộp (không dấu cũng được). Tìm theo số giấy tờ, "
                         "số điện thoại được ghi nhật ký truy cập dữ liệu cá nhân; với phiên "
                         "đăng nhập của trình duyệt (không token) chỉ chạy từ trang của hệ "
                         "thống (Sec-Fetch-Site: same-origin), nếu không: 403."),
        OpenApiParameter("thu-tuc", str, description="Mã thủ tục hoặc từ trong tên thủ tục"),
        OpenApiParameter("trang-thai", str, description="Trạng thái hồ sơ"),
        OpenApiParameter("han", str, enum=list(DUE_CHOICES),
                         description="qua-han, sap-den-han, trong-han"),
        OpenApiParameter("kenh", str, enum=["1", "2", "3"],
                         description="1 trực tiếp, 2 trực tuyến, 3 bưu chính")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=DossierCreateSerializer,
        responses={201: DossierDetailSerializer, 200: DossierDetailSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                     description="Gửi lại cùng khóa không tạo hồ sơ thứ hai.")],
    )
    def post(self, request):
        if request.user.kind != User.Kind.STAFF:
            # The desk's entry (counter, post, or online on a person's behalf at the desk). A
            # citizen's or business's dossier goes through `POST /api/v1/my/dossiers/` with its
            # papers' files. Until audit11 this endpoint took a citizen's online dossier too,
            # past the online filing's rules: no file for any mandatory paper, papers marked
            # "original seen" and the desk's answers about them (not applicable, looked up) —
            # each the desk's to record (Decree 61/2018/NĐ-CP art. 15, the desk checks the
            # papers). The account's kind is on the user already: no statement on the filing's
            # path.
            raise DomainError(
                "permission_denied",
                "Công dân, doanh nghiệp nộp hồ sơ trực tuyến qua /api/v1/my/dossiers/ kèm tệp "
                "giấy tờ; địa chỉ này dành cho cán bộ tiếp nhận.",
                "Citizens and businesses file online through /api/v1/my/dossiers/ with the "
                "papers' files; this endpoint is the desk's.", http_status=403)
        # Validated by the serializer's fields kept per process (motcua/body_validation.py);
        # a body that path does not take, an invalid one included, goes DRF's way.
        v = _FILING_BODY.validated(request.data)
        if v is None:
            s = DossierCreateSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            v = s.validated_data
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 100:
            raise DomainError("invalid", "Idempotency-Key dài quá 100 ký tự.",
                              "Idempotency-Key is longer than 100 characters.")
        dossier, created = dossier_create(
            # By its id: dossier_create takes the case from the reference cache, or says it
            # does not exist.
            actor=request.user, variant=v["variant"], channel=v["channel"],
            receiving_unit=_receiving_unit(request, v.get("receiving_unit")),
            applicant=dict(v["applicant"]), documents=[dict(d) for d in v.get("documents", [])],
            summary=v.get("summary", ""), sets_count=v["sets_count"],
            return_method=v.get("return_method", ""), idempotency_key=key, accept=v["accept"],
            papers=dict(v["papers"]) if v.get("papers") else None,
        )
        # A new dossier is answered from the rows just written; a replay is read afresh.
        dossier = (selectors.dossier_details_load(dossier) if created
                   else selectors.dossier_with_details(pk=dossier.pk))
        body = DossierDetailSerializer(dossier, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class DossierDetailApi(APIView):
    @extend_schema(responses=DossierDetailSerializer)
    @staff_read_api
    def get(self, request, code: str):
        dossier = selectors.dossier_get(user=request.user, code=code)
        dossier_personal_read(actor=request.user, dossier=dossier, action=ACTION.DOSSIER_OPEN,
                              purpose="Giải quyết hồ sơ (API)")
        return Response(DossierDetailSerializer(dossier, context={"request": request}).data)


class DossierEventsApi(APIView):
    @extend_schema(responses=EventSerializer(many=True))
    @staff_read_api
    def get(self, request, code: str):
        dossier = selectors.dossier_get(user=request.user, code=code)
        # The history holds personal data too (the hand-over's receiver and the paper they
        # showed, the reasons written to the applicant): a read of the dossier, logged.
        dossier_personal_read(actor=request.user, dossier=dossier, action=ACTION.DOSSIER_OPEN,
                              purpose="Xem lịch sử xử lý hồ sơ (API)")
        events = selectors.dossier_events(dossier=dossier)
        return Response(EventSerializer(events, many=True).data)


class DossierActionApi(APIView):
    @extend_schema(request=ActionSerializer, responses=DossierDetailSerializer)
    def post(self, request, code: str, action: str):
        # Validated as the filing's body is (motcua/body_validation.py), an action that exists.
        v = _ACTION_BODY.validated(request.data) if transition(action) is not None else None
        if v is None:
            s = ActionSerializer(data=request.data)
            if transition(action) is None or not s.is_valid():
                # Another unit's dossier is a 404 whatever the body or the action says.
                selectors.dossier_find(user=request.user, code=code)
                s.is_valid(raise_exception=True)
            v = s.validated_data
        # Found by its code under the dossier's lock; another unit's is a 404 (dossier_act).
        dossier = dossier_act(code=code, actor=request.user, action=action,
                              reason=v.get("reason", ""), data=v.get("data") or {})
        # Answered from the dossier as the action left it, with the lists it loaded.
        dossier = selectors.dossier_details_load(dossier)
        return Response(DossierDetailSerializer(dossier, context={"request": request}).data)
