"""Public status lookup: code plus a second factor, never the code alone; throttled failures."""

import re

from django.urls import reverse

from dossiers.lookup import SECRET_ALPHABET
from dossiers.services import dossier_act
from dossiers.tests.conftest import at

URL = reverse("dossiers:lookup")


def _get(client, code, factor, ip="10.0.0.1"):
    """The lookup form as a browser sends it: posted, the secret never in the URL."""
    return client.post(URL, {"ma": code, "bi-mat": factor}, REMOTE_ADDR=ip)


def test_every_dossier_gets_a_secret_without_ambiguous_letters(make_dossier):
    a, b = make_dossier(), make_dossier()
    assert len(a.lookup_secret) == 8 and a.lookup_secret != b.lookup_secret
    assert set(a.lookup_secret) <= set(SECRET_ALPHABET)
    assert not set("01OIL") & set(SECRET_ALPHABET)


def test_secret_or_phone_digits_open_the_status(client, make_dossier):
    d = make_dossier()
    for factor in (d.lookup_secret, d.lookup_secret.lower(), "2333"):
        r = _get(client, d.code, factor)
        assert r.status_code == 200
        html = r.content.decode()
        assert "Được tiếp nhận" in html and d.procedure.name in html
        assert r["Referrer-Policy"] == "same-origin"
    # the receiving officer's name never appears, the unit does
    assert "Tiepnhan" not in html and "Trung tâm PVHCC tỉnh Thử nghiệm" in html


def test_wrong_code_and_wrong_factor_get_the_same_answer(client, make_dossier):
    d = make_dossier()
    wrong_factor = _get(client, d.code, "9999")
    wrong_code = _get(client, d.code[:-1] + "9", d.lookup_secret)
    code_only = client.post(URL, {"ma": d.code}, REMOTE_ADDR="10.0.0.9")
    assert wrong_factor.status_code == wrong_code.status_code == 404
    assert code_only.status_code == 400
    for r in (wrong_factor, wrong_code, code_only):
        html = r.content.decode()
        assert d.applicant_name not in html and "Được tiếp nhận" not in html
    # The CSRF token differs between two answers; nothing else may.
    main = [re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "",
                   r.content.decode().split('<main id="main"')[1])
            for r in (wrong_factor, wrong_code)]
    assert main[0] == main[1].replace(d.code[:-1] + "9", d.code)


def test_supplement_request_tells_what_to_bring_and_hides_internal_notes(client, org,
                                                                         make_dossier):
    d = make_dossier()
    d = dossier_act(dossier=d, actor=org.desk, action="forward", at=at("2026-03-02 10:00"))
    d = dossier_act(dossier=d, actor=org.specialist, action="request_supplement",
                    reason="Bản chụp CCCD bị mờ", at=at("2026-03-03 09:00"),
                    data={"missing_documents": ["Bản chụp CCCD rõ nét"]})
    html = _get(client, d.code, d.lookup_secret).content.decode()
    assert "Yêu cầu bổ sung giấy tờ" in html
    assert "Bản chụp CCCD rõ nét" in html and "tạm dừng" in html
    assert "Chuyenvien" not in html


def test_receipt_prints_the_secret_and_a_qr_to_the_lookup(client, org, make_dossier):
    d = make_dossier()
    client.force_login(org.desk)
    html = client.get(reverse("dossiers:receipt", args=[d.code])).content.decode()
    assert d.lookup_secret in html and "data:image/svg+xml;base64," in html
    # Issue #17: the secret rides after "#", which no browser sends to a server.
    assert f"/tra-cuu/?ma={d.code}#bi-mat={d.lookup_secret}" in html
