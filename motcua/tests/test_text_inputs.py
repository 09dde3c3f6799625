"""Issue #16: no text typed into a page gives a 500. Hypothesis sends arbitrary text — any
Unicode but lone surrogates (which no browser can send), control characters, NUL, combining
marks, right-to-left overrides, thousands of characters, numbers past every integer column — to
every public and staff text input of the web pages, one input at a time, the others valid."""

from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers.tests.test_views import counter_data

ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
TEXT = st.one_of(
    st.text(ANY_CHARACTER, max_size=80),
    st.text(ANY_CHARACTER, min_size=300, max_size=3000),
    st.sampled_from(["\x00", "a\x00b", "9" * 40, "-1", "1e309", "０１２３", "\u202e\u200b",
                     "Nguye\u0302\u0303n", " " * 500, "%00", "../../etc/passwd", "<script>",
                     "' OR 1=1 --", "đăng ký " * 120, "\U0001f600" * 50]),
)
EXAMPLES = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@dataclass
class Input:
    """One form or query string: who uses it, where, with which valid values beside."""

    name: str
    user: str  # "anonymous", "desk", "citizen"
    method: str
    url: str  # may hold {code}, {draft}
    fields: list[str]
    base: dict = field(default_factory=dict)


INPUTS = [
    Input("catalogue search", "anonymous", "get", "/thu-tuc/",
          ["q", "linh-vuc", "cap", "truc-tuyen", "don-vi", "co-quan", "doi-tuong", "trang"]),
    Input("procedure page", "anonymous", "get", "/thu-tuc/{text}/", ["text"]),
    Input("lookup", "anonymous", "post", "/tra-cuu/", ["ma", "bi-mat"],
          {"ma": "{code}", "bi-mat": "ABCDEFGH"}),
    Input("lookup link", "anonymous", "get", "/tra-cuu/", ["ma", "bi-mat"]),
    Input("evaluation factor", "anonymous", "post", "/danh-gia/ho-so/{code}/", ["bi-mat"]),
    Input("evaluation code", "anonymous", "get", "/danh-gia/ho-so/{text}/", ["text"]),
    Input("sign-up", "anonymous", "post", "/tai-khoan/dang-ky/",
          ["identifier", "full_name", "personal_id", "organization_name", "tax_code", "kind"],
          {"kind": "citizen", "identifier": "nguoi.moi@example.vn", "full_name": "Người Mới",
           "password": "mot-mat-khau-dai-2026", "password2": "mot-mat-khau-dai-2026"}),
    Input("log-in", "anonymous", "post", "/tai-khoan/dang-nhap/", ["username", "password"]),
    Input("forgotten password", "anonymous", "post", "/tai-khoan/quen-mat-khau/",
          ["identifier"]),
    Input("payment page", "anonymous", "get", "/thanh-toan/{text}/", ["text"]),
    Input("public API search", "anonymous", "get", "/api/v1/procedures/",
          ["q", "level", "limit", "offset"]),
    Input("counter entry", "desk", "post", "/tiep-nhan/",
          ["applicant_name", "applicant_id_number", "applicant_address", "applicant_phone",
           "applicant_email", "owner_name", "owner_id_number", "summary", "sets_count",
           "return_method", "idempotency_key", "procedure", "variant", "channel"],
          {"counter": True}),
    Input("counter procedure search", "desk", "get", "/tiep-nhan/tim-thu-tuc/", ["q"]),
    Input("counter applicant search", "desk", "post", "/tiep-nhan/nguoi-nop/",
          ["so_dinh_danh", "applicant_name", "applicant_phone"]),
    Input("counter case choice", "desk", "get", "/tiep-nhan/truong-hop/",
          ["procedure", "variant"]),
    Input("withdraw reason", "desk", "post", "/ho-so/{code}/thao-tac/withdraw/", ["reason"]),
    Input("dossier page", "desk", "get", "/ho-so/{text}/", ["text"]),
    Input("inbox", "desk", "get", "/", ["box", "trang", "q"]),
    Input("work box search and filters", "desk", "get", "/ho-so/hop/all/",
          ["q", "thu-tuc", "trang-thai", "han", "kenh", "sau"]),
    Input("register", "desk", "get", "/so-theo-doi/", ["tu-ngay", "den-ngay", "don-vi"]),
    Input("kiosk", "desk", "get", "/danh-gia/quay/", ["ma"]),
    Input("dashboard", "desk", "get", "/chi-so/", ["don-vi", "ky", "nam", "so"]),
    Input("drill-down", "desk", "get", "/chi-so/ho-so/", ["chi-so", "trang", "don-vi"]),
    Input("online draft", "citizen", "post", "/ho-so-nhap/{draft}/",
          ["applicant_name", "applicant_id_number", "applicant_phone", "applicant_address",
           "applicant_email", "owner_name", "owner_id_number", "summary", "return_method",
           "remove"],
          {"applicant_kind": "1", "applicant_name": "Trần Thị Bích", "submit": "save"}),
    Input("profile", "citizen", "post", "/tai-khoan/thong-tin-ca-nhan/",
          ["full_name", "personal_id", "address", "phone", "email", "birth_date"],
          {"full_name": "Công Dân"}),
]


@pytest.fixture
def places(org, make_dossier, client_for):
    """The clients and the objects the inputs' URLs name."""
    from dossiers.models import OnlineDraft

    dossier = make_dossier()
    citizen = client_for(org.citizen)
    citizen.post(reverse("dossiers:online_start", args=[org.procedure.code]),
                 {"variant": org.variant.pk, "receiving_unit": org.centre.pk})
    draft = OnlineDraft.objects.get(user=org.citizen)
    return {"clients": {"anonymous": Client(), "desk": client_for(org.desk),
                        "citizen": citizen},
            "code": dossier.code, "draft": draft.pk, "org": org}


@pytest.mark.django_db
@pytest.mark.parametrize("entry", INPUTS, ids=[i.name for i in INPUTS])
def test_no_text_in_any_input_gives_a_server_error(entry, places):
    client = places["clients"][entry.user]

    @EXAMPLES
    @given(name=st.sampled_from(entry.fields), text=TEXT)
    def send(name: str, text: str) -> None:
        url = entry.url.format(code=places["code"], draft=places["draft"],
                               text=quote(text, safe="") or "x")
        data = dict(entry.base)
        if data.pop("counter", False):
            data = counter_data(places["org"])
        data = {k: str(v).format(code=places["code"]) for k, v in data.items()}
        if "{text}" not in entry.url:
            data[name] = text
        response = getattr(client, entry.method)(url, data)
        assert response.status_code < 500, (entry.name, name, text[:200])

    send()
