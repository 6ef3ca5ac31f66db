import io

import pytest
from django.core.management import call_command

from exporters.models import Country

pytestmark = pytest.mark.django_db


def test_seed_countries_command_loads_the_pacific_countries_once():
    out = io.StringIO()
    call_command("seed_countries", stdout=out)
    call_command("seed_countries", stdout=out)

    assert out.getvalue().splitlines() == ["countries: 16 added", "countries: 0 added"]
    assert Country.objects.get(code="WS").name_zh_hans == "萨摩亚"
