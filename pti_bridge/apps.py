from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import apps as otp_static_apps
from django_otp.plugins.otp_totp import apps as otp_totp_apps


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


# The packages behind staff's sign-in, named for staff in their language on the admin's front
# page (the packages give no name, so their labels showed: "Otp_Totp").


class AxesConfig(axes_apps.AppConfig):
    default = False
    verbose_name = _("Sign-in lockout")


class AuthenticatorConfig(otp_totp_apps.DefaultConfig):
    default = False
    verbose_name = _("Sign-in codes: authenticator apps")


class RecoveryCodesConfig(otp_static_apps.DefaultConfig):
    default = False
    verbose_name = _("Sign-in codes: recovery codes")
