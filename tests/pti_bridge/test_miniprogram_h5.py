"""/m/: Django serves the Mini Program's H5 build (pti_bridge/miniprogram.py), here a made-up build
in a temporary folder (the real one, in a browser, is tests/e2e/test_miniprogram_h5.py)."""

import pytest

pytestmark = pytest.mark.django_db

INDEX = (
    '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"/><title>PTI</title>'
    '<script defer="defer" src="/m/js/app.2c3102f7.js"></script>'
    '<link href="/m/css/app.1e898e0e.css" rel="stylesheet"></head><body><div id="app"></div></body></html>'
)


@pytest.fixture
def build(settings, tmp_path):
    root = tmp_path / "dist" / "h5"
    for name, content in {
        "index.html": INDEX.encode(),
        "js/app.2c3102f7.js": b"console.log('app')",
        "js/app.2c3102f7.js.LICENSE.txt": b"MIT",
        "css/app.1e898e0e.css": b"body{margin:0}",
        "static/images/assets/tab/home.png": b"\x89PNG\r\n\x1a\nhome",
        "static/images/logo.0a1b2c3d.webp": b"RIFFwebp",
        "static/images/back@2x.5e6f7a8b.png": b"\x89PNG\r\n\x1a\nback",
        ".hidden": b"secret",
        "stats.json": b"{}",
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (tmp_path / "secret.txt").write_text("outside the build")
    (root / "static" / "escape.txt").symlink_to(tmp_path / "secret.txt")
    settings.MINIPROGRAM_H5_ROOT = root
    return root


@pytest.mark.parametrize("path", ["/m/", "/m/index.html"])
def test_the_page_is_the_builds_index_checked_on_each_visit(client, build, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert b"".join(response.streaming_content).decode() == INDEX
    # Scripts stay 'self' only; styles are inline too, as Taro's H5 runtime writes them.
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["font-src"] == "'self' data:"  # Taro's toast icons
    assert "unsafe-eval" not in policy and "nonce" not in policy
    again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    # A 304's headers replace the browser's kept ones: it carries the same policy.
    assert (again.status_code, again["Content-Security-Policy"]) == (304, policy)


def test_m_without_its_slash_is_sent_to_it(client, build):
    response = client.get("/m")

    assert (response.status_code, response["Location"]) == (301, "/m/")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/m/js/app.2c3102f7.js", "text/javascript; charset=utf-8"),
        ("/m/css/app.1e898e0e.css", "text/css; charset=utf-8"),
        ("/m/static/images/logo.0a1b2c3d.webp", "image/webp"),
        ("/m/static/images/back@2x.5e6f7a8b.png", "image/png"),
    ],
)
def test_hashed_assets_are_cached_for_a_year_with_their_type(client, build, path, content_type):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == (build / path.removeprefix("/m/")).read_bytes()


def test_an_asset_without_a_hash_in_its_name_is_checked_each_time(client, build):
    first = client.get("/m/static/images/assets/tab/home.png")
    again = client.get("/m/static/images/assets/tab/home.png", HTTP_IF_NONE_MATCH=first["ETag"])

    assert (first.status_code, first["Content-Type"], first["Cache-Control"]) == (200, "image/png", "no-cache")
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    "path",
    [
        "/m/js/../../secret.txt",
        "/m/js/%2e%2e/%2e%2e/secret.txt",
        "/m/js/..%2f..%2fsecret.txt",
        "/m/static/%2e%2e/index.html",
        "/m/static/escape.txt",  # a link out of the build
        "/m/.hidden",
        "/m/static/../.hidden",
        "/m/stats.json",  # in the build, not in an asset folder
        "/m/js/",
        "/m/js",
        "/m/js/missing.0a1b2c3d.js",
        "/m/js//app.2c3102f7.js",
        "/m/js/app.2c3102f7.js%00.png",
        "/m/pages/home/index",
    ],
)
def test_nothing_else_is_served(client, build, path):
    response = client.get(path)

    assert response.status_code == 404
    assert b"outside the build" not in response.content and b"secret" not in response.content


def test_only_reads_are_answered(client, build):
    assert client.post("/m/", {}).status_code == 405
    assert client.head("/m/js/app.2c3102f7.js").status_code == 200


def test_without_a_build_the_page_says_how_to_make_one(client, settings, tmp_path):
    settings.MINIPROGRAM_H5_ROOT = tmp_path / "dist" / "h5"

    response = client.get("/m/")
    asset = client.get("/m/js/app.2c3102f7.js")

    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "小程序 H5 预览尚未构建" in html and "Node 18" in html and "make run" in html
    assert "The H5 app is not built" in html and "npm run build:h5" in html
    assert "Content-Security-Policy" in response
    assert asset.status_code == 404
