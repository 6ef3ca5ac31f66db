from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PtiBridgeConfig(AppConfig):
    name = "pti_bridge"
    verbose_name = _("Back office")
