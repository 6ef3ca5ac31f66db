"""/m/: the Mini Program's H5 build (miniprogram/dist/h5, `npm run build:h5`), served by Django.

The H5 build is the same app as the WeChat Mini Program, in a browser: for local use (`make
run`) and the browser tests, on the API's own origin (so no CORS). It uses the hash router,
so the only page is /m/ (index.html, checked on each visit: it names the current build's
files); its scripts, styles and images live under /m/js/, /m/css/
and /m/static/ with a hash of their content in their names, and are cached for a year.
Nothing else under the build folder is served, and no path leaves it. Without a build, /m/
says how to make one.

The Content-Security-Policy keeps the site's scripts rule ('self' only: the runtime needs no
eval and no inline script). Styles are the one exception: Taro's H5 runtime writes <style>
elements and style attributes from script (router, Swiper, toasts), so this page allows
inline styles; its toasts draw their icons with a data: font.
"""

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

ASSET_FOLDERS = ("js", "css", "static")
# One segment: letters, digits and . _ - @ + ~ (icon@2x.png); no leading dot (no "..", no dotfiles).
_SEGMENT = re.compile(r"[A-Za-z0-9_@+~-][A-Za-z0-9._@+~-]*\Z")
# webpack's [contenthash:8] (js/app.2c3102f7.js, css/app.1e898e0e.css, static/images/home.3fa9b1c2.png).
_HASHED = re.compile(r"\.[0-9a-f]{8,}\.[A-Za-z0-9]+\Z")
FOREVER = "public, max-age=31536000, immutable"
# What the H5 runtime needs beyond the site's policy (settings.CONTENT_SECURITY_POLICY).
CSP_REPLACE = {"style-src": ["'self'", "'unsafe-inline'"], "font-src": ["'self'", "data:"]}
# Fixed, whatever the machine's /etc/mime.types says.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
}


def build_root() -> Path:
    return Path(settings.MINIPROGRAM_H5_ROOT)


def _content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _file(root: Path, path: str) -> Path | None:
    """The build's file at `path` (a URL path below /m/), or None: only files of the asset folders."""
    segments = path.split("/")
    if len(segments) < 2 or segments[0] not in ASSET_FOLDERS:
        return None
    if not all(_SEGMENT.match(segment) for segment in segments):
        return None
    candidate = root.joinpath(*segments)
    try:
        resolved, base = candidate.resolve(strict=True), root.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(base) or not resolved.is_file():
        return None  # a symbolic link out of the build
    return resolved


def not_built(request) -> HttpResponse:
    """/m/ without a build: a page that says how to make one (in Chinese and English)."""
    html = render_to_string("miniprogram/not_built.html", {"build_root": "miniprogram/dist/h5"}, request=request)
    response = HttpResponse(html, status=404, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _with_policy(response):
    response._csp_replace = response._csp_replace_ro = CSP_REPLACE
    return response


@require_safe
def h5_app(request, path: str = ""):
    root = build_root()
    if path in ("", "index.html"):
        index = root / "index.html"
        if not index.is_file():
            return not_built(request)
        file = index
    else:
        file = _file(root, path)
        if file is None:
            raise Http404("No such file in the Mini Program's H5 build.")
    stat = file.stat()
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(stat.st_mtime),
        # Hashed names never change content; the few unhashed files are checked each time.
        "Cache-Control": FOREVER if _HASHED.search(file.name) else "no-cache",
    }
    conditional = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
    if conditional is not None:
        for name, value in headers.items():
            conditional[name] = value
        return _with_policy(conditional)  # a 304's headers replace the kept page's, its policy too
    response = FileResponse(file.open("rb"), content_type=_content_type(file))
    for name, value in headers.items():
        response[name] = value
    return _with_policy(response)
