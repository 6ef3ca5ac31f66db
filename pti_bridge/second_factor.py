"""The staff's second factor (django-otp): an authenticator app's time-based codes (TOTP)
and ten single-use recovery codes (a static device). The admin opens only for staff who
passed it in this session (pti_bridge/admin_site.py); exporters never meet it.
"""

import math
import re
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pti_bridge.audit import audit_record

RECOVERY_CODE_COUNT = 10
TOTP_CODE = re.compile(r"\d{6}")


def passed(user) -> bool:
    """True once this session's user entered a code (OTPMiddleware reads it from the session)."""
    return getattr(user, "otp_device", None) is not None


def awaits_second_factor(user) -> bool:
    """Staff signed in with the password only: the admin stays shut until they enter a code."""
    return user.is_authenticated and user.is_active and user.is_staff and not passed(user)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being enrolled: the same secret until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, made here (no outside service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="unicode")


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


@transaction.atomic
def enrol(*, request, device: TOTPDevice, code: str) -> tuple[list[str] | None, int]:
    """Confirm `device` with a code from the app. Returns (the new recovery codes, to show
    once, or None when the code is refused; seconds to wait first after wrong codes). The
    session counts as verified from then on."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user, confirmed=False)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return None, seconds_until(details["locked_until"])
    if not device.verify_token(normalise(code)):
        return None, 0
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    codes = replace_recovery_codes(request.user)
    sign_in_with(request, device)
    audit_record(obj=request.user, action="second_factor_enrolled", actor=request.user)
    return codes, 0


def seconds_until(moment) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def replace_recovery_codes(user, *, codes: list[str] | None = None) -> list[str]:
    """Ten fresh single-use codes for `user`; any earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = codes or [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(*, request, code: str) -> tuple[object | None, int]:
    """Check a code after the password: six digits against the authenticator, anything else
    against the recovery codes (a recovery code is used up). Returns (the device that took
    it, or None; seconds to wait first when django-otp slows down repeated wrong codes)."""
    code = normalise(code)
    model = TOTPDevice if TOTP_CODE.fullmatch(code) else StaticDevice
    wait = 0
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=request.user, confirmed=True):
            allowed, details = device.verify_is_allowed()
            if not allowed:
                wait = max(wait, seconds_until(details["locked_until"]))
            elif device.verify_token(code):
                sign_in_with(request, device)
                return device, 0
    return None, wait


def sign_in_with(request, device) -> None:
    # A new session key at the step up, as at the password (session fixation).
    request.session.cycle_key()
    django_otp.login(request, device)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
