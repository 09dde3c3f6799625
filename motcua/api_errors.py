"""One error format for the whole API: a machine code, a Vietnamese message, an English one.

    {"error": {"code": "invalid", "message": "…", "message_en": "…", "fields": {"name": ["…"]}}}
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from motcua.errors import DomainError

MESSAGES = {
    "invalid": ("Dữ liệu không hợp lệ.", "Invalid input."),
    "parse_error": ("Dữ liệu gửi lên không đọc được.", "Malformed request body."),
    "not_authenticated": ("Chưa đăng nhập hoặc thông tin xác thực không đúng.",
                          "Authentication credentials were not provided or are invalid."),
    "authentication_failed": ("Thông tin xác thực không đúng.", "Invalid credentials."),
    "token_expired": ("Mã truy cập (token) đã hết hạn; lấy mã mới tại /api/v1/auth/token/.",
                      "The token has expired; get a new one at /api/v1/auth/token/."),
    "permission_denied": ("Bạn không có quyền thực hiện thao tác này.",
                          "You do not have permission to perform this action."),
    "not_found": ("Không tìm thấy.", "Not found."),
    "method_not_allowed": ("Phương thức không được hỗ trợ.", "Method not allowed."),
    "throttled": ("Quá nhiều yêu cầu, vui lòng thử lại sau.", "Too many requests."),
    "unsupported_media_type": ("Định dạng dữ liệu không được hỗ trợ.", "Unsupported media type."),
    "server_error": ("Hệ thống gặp lỗi. Xin thử lại sau ít phút.",
                     "The system failed. Please try again in a few minutes."),
}


def api_error_body(code: str, message: str, message_en: str, fields: Any = None) -> dict:
    error: dict[str, Any] = {"code": code, "message": message, "message_en": message_en}
    if fields:
        error["fields"] = fields
    return {"error": error}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(api_error_body(exc.code, exc.message, exc.message_en, exc.fields or None),
                        status=exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = code if isinstance(code, str) else "error"
        fields = None
    vi, en = MESSAGES.get(code, (str(getattr(exc, "detail", "Lỗi.")), "Error."))
    response.data = api_error_body(code, vi, en, fields)
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response


# --- the error answers in the OpenAPI schema ---------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "description": "Lỗi: mã máy, thông báo tiếng Việt, thông báo tiếng Anh, lỗi theo từng trường.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string", "example": "Dữ liệu không hợp lệ."},
                "message_en": {"type": "string", "example": "Invalid input."},
                "fields": {"type": "object", "additionalProperties": True,
                           "description": "Tên trường → danh sách lỗi (tiếng Việt)."},
            },
            "required": ["code", "message", "message_en"],
        },
    },
    "required": ["error"],
}

# Every operation may answer these, in the one error format (docs/architecture.md, API). 503 is
# an outside system not answering or not configured (signing certificate, population database).
ERROR_ANSWERS = {
    "400": "Dữ liệu gửi lên không hợp lệ; `fields` nêu từng trường và lý do.",
    "401": "Chưa đăng nhập hoặc mã xác thực (token) không đúng.",
    "403": "Không có quyền thực hiện thao tác này.",
    "404": "Không tìm thấy (hoặc không thuộc phạm vi được xem).",
    "405": "Phương thức không được hỗ trợ.",
    "406": "Không trả được định dạng được yêu cầu (Accept).",
    "409": "Trạng thái hiện tại không cho phép thao tác này.",
    "415": "Định dạng dữ liệu gửi lên không được hỗ trợ.",
    "429": "Quá nhiều yêu cầu; thử lại sau.",
    "503": "Dịch vụ bên ngoài (chữ ký số, CSDL dân cư, cổng thanh toán…) chưa sẵn sàng.",
}

# Answered by the web server in front of Django, never in the error format: gunicorn refuses a
# request line over 4,094 bytes (its `limit_request_line`), nginx one over its header buffers,
# before the application reads it (docs/deployment.md).
SERVER_ANSWERS = {
    "414": "Địa chỉ yêu cầu (URL) quá dài; máy chủ web từ chối trước khi ứng dụng đọc.",
}


def error_answers_hook(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """drf-spectacular postprocessing hook: the `Error` component, and each operation's
    error answers referring to it (answers an operation already documents are kept)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status_code, description in ERROR_ANSWERS.items():
                responses.setdefault(status_code, {"description": description,
                                                   "content": reference})
            for status_code, description in SERVER_ANSWERS.items():
                responses.setdefault(status_code, {"description": description})
    return result
