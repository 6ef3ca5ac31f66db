"""deploy/nginx/pti-bridge.conf: nginx accepts it (`nginx -t`), and a live nginx running it does what
the app relies on: HTTPS only, static files and public media from disk, private media never,
X-Forwarded-For / X-Forwarded-Proto as NUM_PROXIES=1 reads them, the body limit in the API's
error shape, gzip for JSON with ETags that still give 304.

The site is rendered into a temporary nginx.conf: a self-signed certificate (openssl), paths
under tmp_path, loopback ports. The upstream is a small recording HTTP server, or the app
itself (live_server).
"""

import json
import os
import re
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import RequestFactory

from pti_bridge.api.throttling import client_ip
from tests.conftest import free_port, require_service
from tests.factories import CategoryFactory

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "pti-bridge.conf"
HOST = "bridge.pti.example"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)


@pytest.fixture
def nginx():
    require_service("nginx", NGINX is not None, "apt-get install -y nginx-light")
    require_service("openssl", shutil.which("openssl") is not None, "apt-get install -y openssl")
    return NGINX


def render(tmp_path: Path, *, upstream: str = "127.0.0.1:8000", http_port: int = 80, https_port: int = 443) -> Path:
    """The site in a self-contained nginx.conf under tmp_path; returns its path."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}"]
        + [
            "-addext",
            f"subjectAltName=DNS:{HOST},DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = SITE.read_text()
    for live, temporary in [
        (f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(tmp_path / "cert.pem")),
        (f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(tmp_path / "key.pem")),
        ("/srv/pti-bridge", str(tmp_path / "srv")),
        ("/var/www/letsencrypt", str(tmp_path / "acme")),
        ("server 127.0.0.1:8000;", f"server {upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
    ]:
        assert live in site, live
        site = site.replace(live, temporary)
    # A test binds loopback only; IPv6 may be missing where the tests run.
    site = re.sub(r"^\s*listen \[::\].*\n", "", site, flags=re.MULTILINE)
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "temp").mkdir()
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp_path / 'temp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx's workers would run as nobody, who cannot read pytest's private tmp_path.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"{user}pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    access_log {tmp_path / 'access.log'};\n"
        f"{temp_paths}\n    include {tmp_path / 'site.conf'};\n}}\n"
    )
    return conf


def nginx_command(nginx: str, conf: Path, *args: str) -> list[str]:
    return [nginx, "-c", str(conf), "-p", str(conf.parent), "-e", str(conf.parent / "error.log"), *args]


def test_nginx_accepts_the_site(nginx, tmp_path):
    conf = render(tmp_path)

    result = subprocess.run(nginx_command(nginx, conf, "-t"), capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "[warn]" not in result.stderr, result.stderr


def test_body_limit_is_a_little_over_the_photo_limit_and_nginx_waits_longer_than_gunicorn():
    site = SITE.read_text()
    web = (ROOT / "deploy" / "systemd" / "pti-bridge-web.service").read_text()

    body_limit = int(re.search(r"client_max_body_size (\d+)m;", site).group(1)) * 1024 * 1024
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", site).group(1))
    gunicorn_timeout = int(re.search(r"--timeout (\d+)", web).group(1))

    assert settings.IMAGE_UPLOAD_MAX_BYTES < body_limit <= settings.IMAGE_UPLOAD_MAX_BYTES * 1.25
    assert gunicorn_timeout < read_timeout <= gunicorn_timeout + 15


class Recorder(BaseHTTPRequestHandler):
    """The upstream: records each request's headers; /api/big answers 2 KB of JSON with a strong ETag."""

    seen: list[dict] = []
    ETAG = '"big-1"'

    def do_GET(self):
        self.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        body = json.dumps({"results": ["x" * 100] * 20} if self.path == "/api/big" else {"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/api/big":
            self.send_header("ETag", self.ETAG)
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


def serve(conf: Path, nginx: str, https_port: int):
    process = subprocess.Popen(nginx_command(nginx, conf, "-g", "daemon off;"), stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            requests.get(f"https://127.0.0.1:{https_port}/favicon.ico", verify=str(conf.parent / "cert.pem"), timeout=1)
            return process
        except requests.ConnectionError:
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stderr.read()}")
            time.sleep(0.1)
    process.kill()
    pytest.fail("nginx did not answer within 10 s")


@pytest.fixture
def site(nginx, tmp_path):
    """A live nginx running the site in front of the Recorder; yields a function making HTTPS requests."""
    Recorder.seen = []
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    conf = render(tmp_path, upstream=f"127.0.0.1:{upstream.server_port}", http_port=http_port, https_port=https_port)
    srv = tmp_path / "srv"
    for path, content in [
        ("staticfiles/favicon.ico", (ROOT / "static" / "favicon.ico").read_bytes()),
        ("staticfiles/portal/portal.css", b"body{margin:0}" * 200),
        ("media/renditions/a-thumb.webp", b"RIFF-webp"),
        ("private_media/originals/secret.jpg", b"secret original"),
        ("private_media/documents/licence.pdf", b"%PDF secret"),
        ("media/.hidden", b"secret dotfile"),
        ("miniprogram/dist/h5/index.html", b"<!doctype html><title>H5 on disk</title>"),
        ("miniprogram/dist/h5/js/app.2c3102f7.js", b"console.log('app');" * 200),
        ("miniprogram/dist/h5/css/app.1e898e0e.css", b"body{margin:0}"),
        ("miniprogram/dist/h5/static/images/assets/tab/home.png", b"\x89PNG home"),
        ("miniprogram/dist/h5/static/.hidden", b"secret dotfile"),
    ]:
        (srv / path).parent.mkdir(parents=True, exist_ok=True)
        (srv / path).write_bytes(content)
    process = serve(conf, nginx, https_port)

    def get(path, *, method="GET", scheme="https", **kwargs):
        port = https_port if scheme == "https" else http_port
        headers = {"Host": HOST, **kwargs.pop("headers", {})}
        url = f"{scheme}://127.0.0.1:{port}{path}"
        return requests.request(
            method, url, headers=headers, verify=str(tmp_path / "cert.pem"), allow_redirects=False, timeout=10, **kwargs
        )

    yield get
    process.terminate()
    process.wait(timeout=10)
    upstream.shutdown()
    upstream.server_close()


def test_plain_http_is_sent_to_https(site):
    response = site("/portal/sign-in/?next=/portal/", scheme="http")

    assert response.status_code == 301
    assert response.headers["Location"] == f"https://{HOST}/portal/sign-in/?next=/portal/"
    assert Recorder.seen == []


def test_static_files_and_public_media_come_from_disk(site):
    icon = site("/favicon.ico")
    css = site("/static/portal/portal.css", headers={"Accept-Encoding": "gzip"})
    rendition = site("/media/renditions/a-thumb.webp")

    assert (icon.status_code, icon.content) == (200, (ROOT / "static" / "favicon.ico").read_bytes())
    assert css.status_code == 200 and css.headers["Content-Encoding"] == "gzip"
    assert (rendition.status_code, rendition.content) == (200, b"RIFF-webp")
    assert rendition.headers["X-Content-Type-Options"] == "nosniff"
    assert Recorder.seen == []


@pytest.mark.parametrize(
    "path",
    [
        "/private_media/originals/secret.jpg",
        "/private_media/documents/licence.pdf",
        "/media/../private_media/documents/licence.pdf",
        "/static/../private_media/documents/licence.pdf",
        "/media/%2e%2e/private_media/documents/licence.pdf",
        "/media/.hidden",
    ],
)
def test_private_media_is_never_served(site, path):
    response = site(path)

    assert response.status_code == 404
    assert b"secret" not in response.content
    assert Recorder.seen == []


def test_the_h5_apps_files_come_from_disk_and_its_page_from_the_app(site):
    script = site("/m/js/app.2c3102f7.js", headers={"Accept-Encoding": "gzip"})
    style = site("/m/css/app.1e898e0e.css")
    icon = site("/m/static/images/assets/tab/home.png")
    assert Recorder.seen == []
    page = site("/m/")

    assert (script.status_code, script.content) == (200, b"console.log('app');" * 200)
    assert script.headers["Content-Encoding"] == "gzip"
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert script.headers["Content-Type"] in ("application/javascript", "text/javascript")
    assert (style.status_code, style.headers["Content-Type"]) == (200, "text/css")
    assert (icon.status_code, icon.headers["Cache-Control"]) == (200, "no-cache")
    assert icon.headers["X-Content-Type-Options"] == "nosniff"
    # The page carries a nonce of its own each time: the app's, never the file on disk.
    assert page.status_code == 200 and b"H5 on disk" not in page.content
    assert [seen["path"] for seen in Recorder.seen] == ["/m/"]


@pytest.mark.parametrize(
    "path",
    [
        "/m/js/../../../private_media/documents/licence.pdf",
        "/m/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/private_media/documents/licence.pdf",
        "/m/static/.hidden",
        "/m/js/missing.0a1b2c3d.js",
    ],
)
def test_nothing_else_of_the_disk_is_served_under_m(site, path):
    response = site(path)

    assert response.status_code in (400, 404)  # 400: a path above the root
    assert b"secret" not in response.content


def test_the_app_gets_the_client_address_as_num_proxies_1_reads_it(site, settings):
    settings.NUM_PROXIES = 1

    response = site("/api/v1/home/", headers={"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "http"})

    assert response.status_code == 200
    seen = Recorder.seen[-1]
    assert (seen["host"], seen["x-forwarded-proto"]) == (HOST, "https")
    assert seen["x-forwarded-for"] == "6.6.6.6, 127.0.0.1"
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=seen["x-forwarded-for"])
    assert client_ip(request) == "127.0.0.1"  # nginx's peer, not the address the client made up


@pytest.mark.parametrize(("language", "message"), [("zh-hans", "请求内容过大。"), ("en", "Request body too large.")])
def test_a_body_over_the_limit_gets_the_api_error_shape(site, language, message):
    body = b"x" * (17 * 1024 * 1024)

    response = site("/api/v1/me/", method="POST", data=body, headers={"Accept-Language": language})

    assert response.status_code == 413
    assert response.json() == {"error": {"code": "too_large", "message": message}}
    assert Recorder.seen == []


def test_json_is_gzipped_and_the_weak_etag_reaches_the_app_as_sent(site):
    first = site("/api/big", headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]

    site("/api/big", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})

    assert first.headers["Content-Encoding"] == "gzip"
    assert etag == 'W/"big-1"'  # gzip made it weak; the app compares weakly (the test below)
    assert Recorder.seen[-1]["if-none-match"] == 'W/"big-1"'


@pytest.mark.django_db(transaction=True)
def test_the_apps_catalogue_answers_304_through_nginx(nginx, tmp_path, live_server):
    for number in range(15):
        CategoryFactory(name_en=f"Category with a long enough name {number}", name_zh_hans=f"相当长的类别名称{number}")
    http_port, https_port = free_port(), free_port()
    upstream = live_server.url.removeprefix("http://")
    conf = render(tmp_path, upstream=upstream, http_port=http_port, https_port=https_port)
    process = serve(conf, nginx, https_port)
    url = f"https://127.0.0.1:{https_port}/api/v1/categories/"
    try:
        first = requests.get(
            url, headers={"Host": "localhost", "Accept-Encoding": "gzip"}, verify=str(tmp_path / "cert.pem"), timeout=10
        )
        again = requests.get(
            url,
            headers={"Host": "localhost", "Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]},
            verify=str(tmp_path / "cert.pem"),
            timeout=10,
        )
    finally:
        process.terminate()
        process.wait(timeout=10)

    assert first.status_code == 200, first.content
    assert first.headers["Content-Encoding"] == "gzip"
    assert first.headers["ETag"].startswith('W/"')
    assert again.status_code == 304
