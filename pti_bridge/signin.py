"""Signing in with a password, on the portal and in the admin alike: what counts as a
failure, when django-axes locks, and the page a locked-out person sees.

Axes locks one account from one address (AXES_FAILURE_LIMIT) and, separately, one
address trying many accounts (AXES_ADDRESS_FAILURE_LIMIT, higher); the address is the
client's by the trusted-proxy rule (pti_bridge/client_address.py).
"""

import math

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum
from django.shortcuts import render
from django.utils.translation import gettext as _


class SignInBackend(ModelBackend):
    """Django's password check, and one thing more: the right password on an account that
    awaits e-mail confirmation marks the request (`request.unconfirmed_user`), so that the
    lockout does not count it as a failure and the portal can say what to do."""

    _unconfirmed = None

    def authenticate(self, request, username=None, password=None, **kwargs):
        self._unconfirmed = None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and self._unconfirmed is not None and request is not None:
            request.unconfirmed_user = self._unconfirmed
        return user

    def user_can_authenticate(self, user):
        # ModelBackend asks this only once the password is right.
        allowed = super().user_can_authenticate(user)
        if not allowed and user.awaits_confirmation:
            self._unconfirmed = user
        return allowed


class AxesHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER) with the two rules above."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None and getattr(request, "unconfirmed_user", None) is not None:
            return  # the right password: not a failure
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and self.address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def address_locked(self, request) -> bool:
        """Too many failures from this address within the cool-off, over all accounts."""
        failures = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return (failures or 0) >= settings.AXES_ADDRESS_FAILURE_LIMIT


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this (AXES_LOCKOUT_CALLABLE) when a sign-in is refused. Staff at
    /admin/ get the admin's own page in their language, exporters the portal's; both say
    how long, and so does `Retry-After`. Each locked attempt restarts the cool-off, so
    the whole cool-off is the honest wait."""
    cool_off = get_cool_off(request)
    seconds = math.ceil(cool_off.total_seconds()) if cool_off else None
    context = {"minutes": math.ceil(seconds / 60) if seconds else None}
    match = getattr(request, "resolver_match", None)
    if match is not None and match.app_name == "admin":
        context.update(admin.site.each_context(request), title=_("Sign-in paused"))
        response = render(request, "admin/locked_out.html", context, status=429)
    else:
        response = render(request, "registration/locked_out.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
