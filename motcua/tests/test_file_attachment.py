"""A stored file handed out: the download headers, and a 404 (not a 500) when it is gone."""

import io

import pytest
from django.http import Http404

from motcua.downloads import DOWNLOAD_POLICY, file_attachment


class _Stored:
    def __init__(self, content: bytes | None) -> None:
        self.content = content

    def open(self, mode: str):
        if self.content is None:
            raise FileNotFoundError("removed from the storage")
        return io.BytesIO(self.content)


def test_a_stored_file_goes_out_as_an_attachment_under_the_download_headers():
    response = file_attachment(_Stored(b"%PDF-1.7"), filename="mẫu đơn.pdf",
                               content_type="application/pdf", missing="Không tìm thấy tệp.")
    assert b"".join(response.streaming_content) == b"%PDF-1.7"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''m%E1%BA%ABu%20%C4%91%C6%A1n.pdf" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == DOWNLOAD_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_gone_from_the_storage_is_a_404_with_its_message():
    with pytest.raises(Http404, match="Không tìm thấy tệp."):
        file_attachment(_Stored(None), filename="a.pdf", missing="Không tìm thấy tệp.")
