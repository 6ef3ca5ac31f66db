"""Site-wide pages that belong to no app."""

from django.conf import settings
from django.http import FileResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """/favicon.ico: browsers ask for it on every page (the API's docs and JSON too), whatever the page links."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
