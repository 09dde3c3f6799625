"""Issue #17: list endpoints cap `limit`, and refuse numbers no list reaches with a 400."""

import pytest
from rest_framework.test import APIClient

from catalog.models import Procedure


@pytest.fixture
def procedures(org):
    for n in range(4):
        Procedure.objects.create(code=f"2.00000{n}", name=f"Thủ tục {n}",
                                 search_text=f"thu tuc {n}", level=Procedure.Level.PROVINCE,
                                 competent_unit=org.dept)


@pytest.mark.django_db
def test_a_huge_limit_is_cut_to_the_maximum_page(procedures, settings):
    settings.MOTCUA_API_MAX_PAGE_SIZE = 3
    answer = APIClient().get("/api/v1/procedures/", {"limit": 100000})
    assert answer.status_code == 200
    assert answer.json()["count"] == 5 and len(answer.json()["results"]) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    {"limit": "99999999999999999999"}, {"offset": "99999999999999999999"},
    {"limit": "0"}, {"limit": "-1"}, {"offset": "-5"}, {"limit": "abc"}, {"offset": "1e3"},
    {"limit": "１２"},
])
def test_absurd_numbers_are_a_400_naming_the_parameter(procedures, query):
    answer = APIClient().get("/api/v1/procedures/", query)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == list(query)


@pytest.mark.django_db
def test_the_schema_states_the_bounds(procedures):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/procedures/"]["get"]["parameters"]}
    assert parameters["limit"]["schema"] == {"type": "integer", "minimum": 1,
                                             "maximum": 10**9}
    assert parameters["offset"]["schema"]["maximum"] == 10**9
