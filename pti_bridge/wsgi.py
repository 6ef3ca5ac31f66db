"""
WSGI config for pti_bridge project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pti_bridge.settings")

application = get_wsgi_application()


def _settle() -> None:
    """Load every view now rather than on the first request, then take what is loaded (it lives
    as long as the worker: Django, the apps, the pinyin dictionaries) out of the garbage
    collector's full passes, which otherwise stall the request they fall on (bench/README.md)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf, and with it every view
    gc.freeze()


_settle()
