"""The site's icon: answered at /favicon.ico (browsers ask there on every page) and linked from both base templates."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db

ICO_HEADER = b"\x00\x00\x01\x00"


def test_favicon_ico_is_the_static_icon(client):
    with open(finders.find("favicon.ico"), "rb") as handle:
        icon = handle.read()

    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content) == icon
    assert icon.startswith(ICO_HEADER)
    assert "max-age=604800" in response["Cache-Control"]


def test_favicon_refuses_writes(client):
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.parametrize("url", ["/portal/sign-in/", "/admin/login/"])
def test_portal_and_admin_pages_link_the_icon(client, url):
    response = client.get(url)

    assert response.status_code == 200
    links = re.findall(r'<link rel="icon" href="([^"]+)">', response.content.decode())
    assert links == [static("favicon.ico")]
