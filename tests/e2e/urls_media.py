"""The site's addresses plus /media/ from MEDIA_ROOT, as `make run` serves it (DEBUG): the live server
of the Mini Program's browser tests (tests/e2e/h5.py), whose photos must load."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from pti_bridge import urls as site


def media(request, path):
    # MEDIA_ROOT is read per request: each test has its own (tests/conftest.py).
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)\Z", media), *site.urlpatterns]
handler500 = site.handler500
