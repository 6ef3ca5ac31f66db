"""The Content-Security-Policy header: on the portal, the admin and the API docs, strict,
enforced by default, Report-Only by switch, with the media origin in img-src.
(tests/e2e/test_csp.py checks in Chromium that every page runs under it.)"""

import json

import pytest
from django.urls import reverse

from tests.conftest import sign_in_staff
from tests.pti_bridge.test_settings import _manage

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
}


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


@pytest.mark.parametrize("name", ["portal:login", "admin:login", "api-docs"])
def test_pages_carry_a_strict_policy(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    directives = _directives(response["Content-Security-Policy"])
    assert STRICT <= directives
    assert "style-src 'self'" in directives  # no page asked for a nonce
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response


def test_signed_in_admin_pages_carry_the_policy(client, staff):
    sign_in_staff(client, staff)

    response = client.get(reverse("admin:exporters_exporter_changelist"))

    assert STRICT <= _directives(response["Content-Security-Policy"])


def test_the_mini_program_api_answers_without_the_header(client):
    # JSON read by the app, never rendered: the header would only cost time on every request.
    response = client.get("/api/v1/categories/")

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


def _policy_settings(**environ) -> dict:
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.CONTENT_SECURITY_POLICY, settings.CONTENT_SECURITY_POLICY_REPORT_ONLY], default=str))"
    )
    result = _manage("shell", "-c", code, **environ)
    assert result.returncode == 0, result.stderr
    enforced, report_only = json.loads(result.stdout.strip().splitlines()[-1])
    return {"enforced": enforced, "report_only": report_only}


def test_the_policy_is_enforced_by_default_and_report_only_by_switch():
    default = _policy_settings()
    trial = _policy_settings(CSP_REPORT_ONLY="true", CSP_REPORT_URI="https://reports.example/csp")

    assert default["report_only"] is None
    assert default["enforced"]["DIRECTIVES"]["frame-ancestors"] == ["'none'"]
    assert trial["enforced"] is None
    assert trial["report_only"]["DIRECTIVES"]["report-uri"] == "https://reports.example/csp"
    assert trial["report_only"]["DIRECTIVES"]["script-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("environ", "origins"),
    [
        ({"MEDIA_URL": "https://cdn.bridge.example/media/"}, ["https://cdn.bridge.example"]),
        (
            {
                "STORAGE_BACKEND": "s3",
                "S3_BUCKET_NAME": "pti",
                "S3_ENDPOINT_URL": "https://cos.ap-shanghai.myqcloud.com",
                "S3_ACCESS_KEY_ID": "key",
                "S3_SECRET_ACCESS_KEY": "secret",
                "S3_PUBLIC_DOMAIN": "media.bridge.example",
            },
            [
                "https://cos.ap-shanghai.myqcloud.com",
                "https://pti.cos.ap-shanghai.myqcloud.com",
                "https://media.bridge.example",
            ],
        ),
        (
            {"STORAGE_BACKEND": "s3", "S3_BUCKET_NAME": "pti", "S3_ACCESS_KEY_ID": "k", "S3_SECRET_ACCESS_KEY": "s"},
            ["https://pti.s3.amazonaws.com"],
        ),
    ],
    ids=["cdn-media-url", "s3-endpoint-and-public-domain", "aws"],
)
def test_images_may_come_from_the_media_origin(environ, origins):
    img_src = _policy_settings(**environ)["enforced"]["DIRECTIVES"]["img-src"]

    assert img_src == ["'self'", "data:", *origins]
