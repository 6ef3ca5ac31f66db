from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PtiBridgeConfig(AppConfig):
    default = True
    name = "pti_bridge"
    verbose_name = _("Back office")

    def ready(self):
        from pti_bridge import storage  # noqa: F401 - registers its `check --deploy` (https image URLs)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site (pti_bridge/admin_site.py): the second factor for staff."""

    default = False  # listed by its path in INSTALLED_APPS; PtiBridgeConfig is this app's own
    default_site = "pti_bridge.admin_site.AdminSite"
