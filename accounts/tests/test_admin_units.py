import pytest

from accounts.models import Commune, Province


@pytest.mark.django_db
def test_all_provinces_and_communes_ship_with_the_migrations():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    hanoi = Province.objects.get(code=1)
    assert hanoi.name == "Thành phố Hà Nội"
    assert hanoi.communes.filter(name="Phường Ba Đình").exists()


@pytest.mark.django_db
def test_every_commune_belongs_to_a_province_with_its_stated_commune_count():
    from accounts.admin_units import read_provinces

    for row in read_provinces():
        assert Commune.objects.filter(province_id=int(row["province_code"])).count() == int(
            row["ward_count"]
        ), row["name"]
