"""The back office's admin site: Django's own, shut until staff pass the second factor.

After the password, staff without an authenticator are sent to enrol (a QR code and the
secret, then ten recovery codes shown once); staff with one enter a code from it, or a
recovery code. Both pages keep the admin's sign-in look and language.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import mark_safe
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp.plugins.otp_static.models import StaticDevice

from pti_bridge import second_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class AdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and second_factor.passed(request.user)

    def login(self, request, extra_context=None):
        if not second_factor.awaits_second_factor(request.user):
            response = super().login(request, extra_context)
            if not second_factor.awaits_second_factor(request.user):
                return response
        return self._step(request, "admin:second_factor")

    def get_urls(self):
        return [
            path("second-factor/", never_cache(csrf_protect(self.second_factor)), name="second_factor"),
            path("second-factor/enrol/", never_cache(csrf_protect(self.enrol)), name="second_factor_enrol"),
            *super().get_urls(),
        ]

    def second_factor(self, request):
        if not second_factor.awaits_second_factor(request.user):
            return self._done(request)
        if not second_factor.has_authenticator(request.user):
            return self._step(request, "admin:second_factor_enrol")
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            device, wait = second_factor.verify(request=request, code=form.cleaned_data["code"])
            if device is not None:
                if isinstance(device, StaticDevice):
                    left = second_factor.recovery_codes_left(request.user)
                    messages.warning(request, _("You used a recovery code; %(count)d are left.") % {"count": left})
                return self._done(request)
            form.add_error("code", _wait_or_wrong(wait))
        return self._page(request, "admin/sign_in/second_factor.html", _("Enter your sign-in code"), form=form)

    def enrol(self, request):
        if not second_factor.awaits_second_factor(request.user):
            return self._done(request)
        if second_factor.has_authenticator(request.user):
            return self._step(request, "admin:second_factor")
        device = second_factor.pending_authenticator(request.user)
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            codes, wait = second_factor.enrol(request=request, device=device, code=form.cleaned_data["code"])
            if codes is not None:
                title = _("Keep your recovery codes")
                return self._page(request, "admin/sign_in/recovery_codes.html", title, codes=codes)
            form.add_error("code", _wait_or_wrong(wait))
        return self._page(
            request,
            "admin/sign_in/enrol.html",
            _("Set up your sign-in code"),
            form=form,
            # Our own SVG of our own otpauth:// address: safe to inline.
            qr_svg=mark_safe(second_factor.qr_svg(device)),  # noqa: S308
            secret=second_factor.secret_text(device),
        )

    def _page(self, request, template: str, title: str, **context):
        context = {**self.each_context(request), "title": title, "next": _next_url(request), **context}
        return TemplateResponse(request, template, context)

    def _step(self, request, url_name: str):
        """To the second factor's page `url_name`, keeping where the user was going."""
        return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}")

    def _done(self, request):
        if second_factor.passed(request.user):
            return HttpResponseRedirect(_next_url(request))
        return redirect("admin:login")


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


def _wait_or_wrong(wait: int) -> str:
    if wait > 0:
        return _("Too many wrong codes. Wait %(seconds)d seconds, then try again.") % {"seconds": wait}
    return _(
        "This code is not right. Check the app shows PTI Bridge and your account, and that the phone's clock is right."
    )
