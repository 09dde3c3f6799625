"""The headers of a file built on the fly (motcua.downloads.generated_attachment)."""

from motcua.downloads import download_filename, generated_attachment


def test_a_file_name_cannot_split_the_header_or_name_a_folder():
    assert download_filename("bao-cao-2026.xlsx") == "bao-cao-2026.xlsx"
    # A CR/LF would end the header and start another one; a slash names a folder.
    assert download_filename('x.pdf"\r\nSet-Cookie: a=b') == "x.pdf- Set-Cookie- a=b"
    assert download_filename("../../etc/passwd") == "etc-passwd"
    assert download_filename("  \u202e ") == "tep"
    assert len(download_filename("a" * 400)) == 150


def test_a_generated_file_is_an_attachment_under_the_download_headers():
    response = generated_attachment(b"a,b\n", filename="Báo cáo quý 1/2026.csv",
                                    content_type="text/csv; charset=utf-8")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%201-2026.csv")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    shown = generated_attachment(b"%PDF-", filename="mau-01.pdf", content_type="application/pdf",
                                 inline=True)
    assert shown["Content-Disposition"] == 'inline; filename="mau-01.pdf"'
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Cache-Control"] == "private, no-store"
