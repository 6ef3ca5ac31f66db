"""Buyers' writes: sign-in, tokens, profile, phone, consent, export, deletion, favourites, share codes.

WeChat is always called before the database transaction opens, never inside it: a slow
or hanging WeChat must not hold a row lock or a connection in a transaction.
`session_key` is not stored at all (data minimisation, docs/wechat.md 1.1): the new phone API
and the avatar/nickname fill-in need none, and what is not stored cannot leak.
"""

import hashlib
import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from buyers.models import AvatarCheck, Buyer, BuyerToken, Favourite, PrivacyPolicy, ShareCode
from buyers.notifications import cancel_for_buyer
from catalogue.models import Product
from pti_bridge import hooks
from pti_bridge.audit import audit_record
from pti_bridge.errors import DomainError, RuleViolation
from pti_bridge.models import AuditEntry, Notification
from pti_bridge.storage import absolute_url
from pti_bridge.wechat.gateway import MediaCheckVerdict, WeChatError, get_gateway

logger = logging.getLogger(__name__)

# A token's expiry is pushed on at most this often, so reads do not write on every request.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=10)


class ContentRejected(DomainError):
    """WeChat's content security check judged the text risky (400)."""

    code = "content_rejected"
    status_code = 400
    default_message = _("This text cannot be sent: it did not pass the content check. Please rephrase it.")


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


# Sign-in and tokens.


def token_issue(*, buyer: Buyer) -> tuple[str, BuyerToken]:
    """A new bearer token for `buyer`; the plain token is returned once and never stored."""
    plain = secrets.token_urlsafe(32)
    now = timezone.now()
    token = BuyerToken.objects.create(
        buyer=buyer,
        key_hash=hash_token(plain),
        created_at=now,
        last_used_at=now,
        expires_at=now + timedelta(days=settings.BUYER_TOKEN_DAYS),
    )
    return plain, token


def token_authenticate(plain: str) -> BuyerToken | None:
    """The live token for `plain` (sliding its expiry on), or None if unknown, expired or revoked."""
    if not plain or len(plain) > 200:
        return None
    token = (
        BuyerToken.objects.select_related("buyer")
        .filter(key_hash=hash_token(plain), revoked_at__isnull=True, buyer__deleted_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or token.expires_at <= now:
        return None
    if now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        token.last_used_at = now
        token.expires_at = now + timedelta(days=settings.BUYER_TOKEN_DAYS)
        BuyerToken.objects.filter(pk=token.pk).update(last_used_at=now, expires_at=token.expires_at)
        Buyer.objects.filter(pk=token.buyer_id).update(last_seen_at=now)
    return token


def token_revoke(*, token: BuyerToken) -> None:
    BuyerToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def buyer_sign_in(*, code: str) -> tuple[Buyer, str, BuyerToken, bool]:
    """Sign in with a wx.login() code: (buyer, plain token, token, created).

    Raises the gateway's WeChatInvalidCode (400), WeChatCodeBlocked (403) or
    WeChatUnavailable (503); nothing is written then.
    """
    session = get_gateway().code_to_session(code)  # outside any transaction
    now = timezone.now()
    created = False
    with transaction.atomic():
        buyer = Buyer.objects.select_for_update().filter(openid=session.openid).first()
        if buyer is None:
            try:
                with transaction.atomic():
                    buyer = Buyer.objects.create(openid=session.openid, unionid=session.unionid, created_at=now)
                created = True
            except IntegrityError:  # the same person signing in twice at once
                buyer = Buyer.objects.select_for_update().get(openid=session.openid)
        if session.unionid and buyer.unionid != session.unionid:
            buyer.unionid = session.unionid
        buyer.last_seen_at = now
        buyer.save(update_fields=["unionid", "last_seen_at"])
        plain, token = token_issue(buyer=buyer)
        if created:
            audit_record(obj=buyer, action="buyer_signed_up")
    return buyer, plain, token, created


# Profile, phone, consent.


# msgSecCheck scenes: 1 profile, 2 comment, 3 forum, 4 social log.
SCENE_PROFILE = 1
SCENE_COMMENT = 2


def buyer_text_screen(*, buyer: Buyer, texts: Iterable[str], scene: int, nickname: str = "") -> str:
    """WeChat's content check of everything a buyer writes before it is stored: "pass" or
    "review", or ContentRejected (400) when WeChat judges it risky. Every door that stores
    a buyer's free text calls this first, outside any transaction (it calls WeChat). The
    texts go in one call: what WeChat refuses in any of them refuses the whole request."""
    content = "\n".join(text for text in texts if text and text.strip())
    if not content:
        return "pass"
    verdict = get_gateway().check_text(openid=buyer.openid, content=content, scene=scene, nickname=nickname)
    if verdict.suggest == "risky":
        raise ContentRejected()
    return verdict.suggest


def buyer_update_profile(
    *,
    buyer: Buyer,
    display_name: str | None = None,
    company: str | None = None,
    avatar=None,
    remove_avatar: bool = False,
) -> Buyer:
    """Change what the buyer shows of themselves. Names go through WeChat's content check
    (profile scene); the avatar through the image pipeline (re-encoded, metadata stripped);
    `remove_avatar` takes the avatar away (its file deleted after commit)."""
    from pti_bridge.images import clean_avatar

    buyer_text_screen(buyer=buyer, texts=[display_name, company], scene=SCENE_PROFILE, nickname=display_name or "")
    cleaned_avatar = clean_avatar(avatar) if avatar is not None else None
    old_avatar = ""
    with transaction.atomic():
        buyer = Buyer.objects.select_for_update().get(pk=buyer.pk)
        changed = []
        if display_name is not None:
            buyer.display_name = display_name.strip()
            changed.append("display_name")
        if company is not None:
            buyer.company = company.strip()
            changed.append("company")
        if cleaned_avatar is not None:
            old_avatar = buyer.avatar.name
            buyer.avatar.save(cleaned_avatar.name, cleaned_avatar, save=False)
            # Hidden from others until WeChat's verdict; submitted to WeChat after commit.
            buyer.avatar_check = AvatarCheck.PENDING
            buyer.avatar_check_trace_id = ""
            buyer.avatar_check_submitted_at = None
            changed.append("avatar")
        elif remove_avatar and buyer.avatar:
            old_avatar = buyer.avatar.name
            _forget_avatar(buyer)
            changed.append("avatar")
        buyer.full_clean()
        buyer.save()
        audit_record(obj=buyer, action="buyer_profile_changed", note=", ".join(changed))
        if cleaned_avatar is not None:
            from buyers.tasks import submit_avatar_check
            from pti_bridge.tasks import enqueue

            enqueue(submit_avatar_check, buyer.pk)
    if old_avatar:
        transaction.on_commit(lambda: default_storage.delete(old_avatar))
    return buyer


def _forget_avatar(buyer: Buyer) -> None:
    """No avatar, and nothing of its check (the caller deletes the file after commit)."""
    buyer.avatar = ""
    buyer.avatar_width = buyer.avatar_height = None
    buyer.avatar_check = AvatarCheck.NONE
    buyer.avatar_check_trace_id = ""
    buyer.avatar_check_submitted_at = None


# The avatar's moderation: WeChat's asynchronous media check (docs/wechat.md 1.3).

# A submission not answered with a trace id within this time (the process died between
# WeChat's answer and our write) may be claimed again.
AVATAR_CHECK_CLAIM = timedelta(minutes=10)
# WeChat answers within 30 minutes; a check silent for longer than this is submitted again.
AVATAR_CHECK_SILENCE = timedelta(hours=2)


def _absolute_media_url(name: str) -> str:
    return absolute_url(default_storage.url(name))


def avatar_check_submit(*, buyer_id: int) -> bool:
    """Submit the buyer's pending avatar to WeChat's media check; True when submitted.

    Called after the upload commits (buyers.tasks) and by the sweep. The submission is
    claimed first in the database, so two runs never submit the same avatar; WeChat is
    called outside any transaction. If WeChat fails, the claim is released and the avatar
    stays pending without a trace id, for the sweep.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            Buyer.objects.filter(
                pk=buyer_id, avatar_check=AvatarCheck.PENDING, avatar_check_trace_id="", deleted_at__isnull=True
            )
            .exclude(avatar="")
            .filter(
                Q(avatar_check_submitted_at__isnull=True) | Q(avatar_check_submitted_at__lt=now - AVATAR_CHECK_CLAIM)
            )
            .update(avatar_check_submitted_at=now)
        )
        if not claimed:
            return False
        buyer = Buyer.objects.get(pk=buyer_id)
    name = buyer.avatar.name
    try:
        trace_id = get_gateway().check_media_async(
            openid=buyer.openid, media_url=_absolute_media_url(name), scene=1, media_type=2
        )
    except WeChatError as error:
        logger.warning(
            "avatar check of buyer %s not submitted (errcode %s); the sweep retries", buyer_id, error.errcode
        )
        Buyer.objects.filter(pk=buyer_id, avatar_check_submitted_at=now, avatar_check_trace_id="").update(
            avatar_check_submitted_at=None
        )
        return False
    # Only if the avatar is still the one submitted (a newer upload resets the check).
    stored = Buyer.objects.filter(
        pk=buyer_id, avatar=name, avatar_check=AvatarCheck.PENDING, avatar_check_submitted_at=now
    ).update(avatar_check_trace_id=trace_id)
    return bool(stored)


def avatar_checks_due():
    """Ids of buyers whose avatar check was never submitted, or submitted and never answered."""
    now = timezone.now()
    return (
        Buyer.objects.filter(avatar_check=AvatarCheck.PENDING, deleted_at__isnull=True)
        .exclude(avatar="")
        .filter(
            Q(avatar_check_trace_id="", avatar_check_submitted_at__isnull=True)
            | Q(avatar_check_trace_id="", avatar_check_submitted_at__lt=now - AVATAR_CHECK_CLAIM)
            | Q(avatar_check_submitted_at__lt=now - AVATAR_CHECK_SILENCE)
        )
        .order_by("avatar_check_submitted_at", "pk")
        .values_list("pk", flat=True)
    )


def avatar_checks_sweep(*, limit: int = 500) -> int:
    """Submit the checks that are due (WeChat was down, or never answered); returns how many."""
    submitted = 0
    now = timezone.now()
    for buyer_id in list(avatar_checks_due()[:limit]):
        # A check WeChat never answered is forgotten first (its late verdict is then ignored).
        Buyer.objects.filter(
            pk=buyer_id, avatar_check=AvatarCheck.PENDING, avatar_check_submitted_at__lt=now - AVATAR_CHECK_SILENCE
        ).exclude(avatar_check_trace_id="").update(avatar_check_trace_id="", avatar_check_submitted_at=None)
        submitted += avatar_check_submit(buyer_id=buyer_id)
    return submitted


class AvatarCheckNotYetKnown(Exception):
    """A verdict for a trace id we have not stored yet, while a submission for its buyer is
    in flight: WeChat should push it again (it retries a push that fails)."""


def avatar_check_verdict(*, verdict: MediaCheckVerdict) -> Buyer | None:
    """Apply WeChat's verdict to the avatar it was about; None when it is about no pending
    avatar (an old or repeated push: nothing changes).

    pass: others may see the avatar. risky: the avatar is removed (its file deleted after
    commit). review, or a check WeChat could not make: the avatar stays hidden from others
    and staff see it in the admin.
    """
    with transaction.atomic():
        buyer = Buyer.objects.select_for_update().filter(avatar_check_trace_id=verdict.trace_id).first()
        if buyer is None:
            in_flight = Buyer.objects.filter(
                openid=verdict.openid,
                avatar_check=AvatarCheck.PENDING,
                avatar_check_trace_id="",
                avatar_check_submitted_at__isnull=False,
            ).exists()
            if verdict.openid and in_flight:
                raise AvatarCheckNotYetKnown(verdict.trace_id)
            return None
        if buyer.avatar_check != AvatarCheck.PENDING or not buyer.avatar:
            return None
        removed = ""
        if verdict.suggest == "risky":
            removed = buyer.avatar.name
            buyer.avatar = ""
            buyer.avatar_width = buyer.avatar_height = None
            buyer.avatar_check = AvatarCheck.RISKY
        elif verdict.suggest == "pass" and verdict.checked:
            buyer.avatar_check = AvatarCheck.PASS
        else:
            buyer.avatar_check = AvatarCheck.REVIEW
        buyer.save(update_fields=["avatar", "avatar_width", "avatar_height", "avatar_check"])
        note = f"{verdict.suggest}, label {verdict.label}" + ("" if verdict.checked else ", not checked")
        audit_record(obj=buyer, action="buyer_avatar_checked", note=note)
    if removed:
        transaction.on_commit(lambda: default_storage.delete(removed))
    return buyer


def buyer_bind_phone(*, buyer: Buyer, code: str) -> Buyer:
    """Store the phone number behind a getPhoneNumber button code."""
    phone = get_gateway().get_phone_number(code, openid=buyer.openid)
    with transaction.atomic():
        buyer = Buyer.objects.select_for_update().get(pk=buyer.pk)
        buyer.phone = phone.pure_phone_number
        buyer.phone_country_code = phone.country_code
        buyer.full_clean()
        buyer.save(update_fields=["phone", "phone_country_code"])
        audit_record(obj=buyer, action="buyer_phone_bound")
    return buyer


def current_policy() -> PrivacyPolicy | None:
    return PrivacyPolicy.objects.current()


# The subscribe messages the server may send, by purpose: the setting holding each template id.
SUBSCRIBE_TEMPLATE_SETTINGS = {
    "inquiry_reply": "WECHAT_TEMPLATE_INQUIRY_ANSWERED",
    "inquiry_status": "WECHAT_TEMPLATE_INQUIRY_STATUS",
}


def app_config(*, chinese: bool) -> dict:
    """What the Mini Program needs before a buyer signs in (GET /api/v1/app-config/): the
    subscribe templates it may ask permission for (only those configured), the current
    privacy policy's version (None before one is in force) and how to reach PTI's staff."""
    policy = current_policy()
    hours = settings.SUPPORT_HOURS_ZH_HANS if chinese and settings.SUPPORT_HOURS_ZH_HANS else settings.SUPPORT_HOURS
    return {
        "subscribe_templates": {
            purpose: getattr(settings, name)
            for purpose, name in SUBSCRIBE_TEMPLATE_SETTINGS.items()
            if getattr(settings, name, "")
        },
        "privacy_policy_version": policy.version if policy is not None else None,
        "support": {"email": settings.SUPPORT_EMAIL, "phone": settings.SUPPORT_PHONE, "hours": hours},
    }


def has_current_consent(buyer: Buyer) -> bool:
    policy = current_policy()
    return policy is not None and buyer.consented_policy_version == policy.version


def buyer_consent(*, buyer: Buyer, policy_version: str) -> Buyer:
    """Record the buyer's consent to the current privacy policy (only the current one)."""
    policy = current_policy()
    if policy is None or policy_version != policy.version:
        raise ValidationError({"policy_version": [_("This is not the current privacy policy version.")]})
    with transaction.atomic():
        buyer = Buyer.objects.select_for_update().get(pk=buyer.pk)
        buyer.consented_policy_version = policy.version
        buyer.consented_at = timezone.now()
        buyer.save(update_fields=["consented_policy_version", "consented_at"])
        audit_record(obj=buyer, action="buyer_consented", note=policy.version)
    return buyer


def require_consent(buyer: Buyer) -> None:
    if not has_current_consent(buyer):
        raise RuleViolation(_("Please read and accept the current privacy policy first."), code="consent_required")


# Favourites.


def favourite_add(*, buyer: Buyer, product: Product) -> Favourite:
    """Idempotent: adding a favourite twice keeps one."""
    favourite, _created = Favourite.objects.get_or_create(buyer=buyer, product=product)
    return favourite


def favourite_remove(*, buyer: Buyer, product: Product) -> None:
    Favourite.objects.filter(buyer=buyer, product=product).delete()


# Share codes.


def share_code_get(*, product: Product) -> ShareCode:
    """The product's Mini Program code, made through WeChat the first time only."""
    page, build = settings.WECHAT_SHARE_PAGE, settings.WECHAT_MINIPROGRAM_STATE
    existing = ShareCode.objects.filter(product=product, page=page, build=build).first()
    if existing is not None and default_storage.exists(existing.image.name):
        return existing
    image = get_gateway().get_unlimited_code(scene=f"p={product.pk}", page=page)  # outside any transaction
    share_code = existing or ShareCode(product=product, page=page, build=build)
    share_code.image.save("code.png", ContentFile(image), save=False)
    try:
        with transaction.atomic():
            share_code.save()
    except IntegrityError:  # made at the same moment by another request: keep theirs
        default_storage.delete(share_code.image.name)
        return ShareCode.objects.get(product=product, page=page, build=build)
    return share_code


# The buyer's data: export and deletion (PIPL).


def buyer_export(*, buyer: Buyer) -> dict:
    """Everything the buyers app stores about the buyer (the inquiries layer adds the
    inquiries). WeChat's identifiers are stored but, like everywhere in the API, not
    revealed: the export says that they are held."""
    return {
        "profile": {
            "id": buyer.pk,
            "display_name": buyer.display_name,
            "avatar": _absolute_media_url(buyer.avatar.name) if buyer.avatar else None,
            "avatar_check": buyer.avatar_check,
            "avatar_check_trace_id": buyer.avatar_check_trace_id,
            "avatar_check_submitted_at": (
                buyer.avatar_check_submitted_at.isoformat() if buyer.avatar_check_submitted_at else None
            ),
            "company": buyer.company,
            "phone": buyer.phone,
            "phone_country_code": buyer.phone_country_code,
            "consented_policy_version": buyer.consented_policy_version,
            "consented_at": buyer.consented_at.isoformat() if buyer.consented_at else None,
            "created_at": buyer.created_at.isoformat(),
            "last_seen_at": buyer.last_seen_at.isoformat() if buyer.last_seen_at else None,
        },
        # WeChat's identifiers are held but never shown (not even to their owner); no session key is kept.
        "wechat": {
            "account_identifier_stored": bool(buyer.openid),
            "platform_identifier_stored": bool(buyer.unionid),
            "session_secret_stored": bool(buyer.session_key),
        },
        "sign_ins": [
            {
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat(),
                "expires_at": token.expires_at.isoformat(),
                "revoked": token.revoked_at is not None,
            }
            for token in buyer.tokens.order_by("created_at", "id")
        ],
        "favourites": [
            {"product": favourite.product_id, "created_at": favourite.created_at.isoformat()}
            for favourite in buyer.favourites.order_by("created_at", "id")
        ],
    }


def buyer_delete(*, buyer: Buyer) -> None:
    """Delete the account: erase every personal field, revoke every token, delete the
    favourites, and anonymise what stays: the inquiries keep their business facts for the
    exporter and the agency, pointing at this anonymous row, while what the buyer wrote in
    them is erased by the inquiries app (hook "buyer_deleting"); the audit trail names
    "Deleted buyer #id". On SQLite the database files keep no readable copy afterwards."""
    with transaction.atomic():
        buyer = Buyer.objects.select_for_update().get(pk=buyer.pk)
        if buyer.deleted_at is not None:
            return
        openid, avatar = buyer.openid, buyer.avatar.name
        buyer.tokens.all().delete()
        buyer.favourites.all().delete()
        # WeChat messages are addressed "buyer:<id>" (the openid is looked up at send time):
        # cancel what is unsent; rows addressed to the openid by older code are blanked too.
        cancel_for_buyer(buyer.pk)
        if openid:
            Notification.objects.filter(recipient=openid, status=Notification.Status.PENDING).update(
                status=Notification.Status.CANCELLED
            )
            Notification.objects.filter(recipient=openid).update(recipient="", payload={})
        buyer.openid = None
        buyer.unionid = ""
        buyer.session_key = ""
        buyer.display_name = ""
        buyer.avatar = ""
        buyer.avatar_check = AvatarCheck.NONE
        buyer.avatar_check_trace_id = ""
        buyer.avatar_check_submitted_at = None
        buyer.company = ""
        buyer.phone = ""
        buyer.phone_country_code = ""
        buyer.consented_policy_version = ""
        buyer.consented_at = None
        buyer.last_seen_at = None
        buyer.deleted_at = timezone.now()
        buyer.save()
        hooks.fire("buyer_deleting", buyer_id=buyer.pk)
        with translation.override(settings.LANGUAGE_CODE):  # the audit trail is in one language
            named = {"content_type__app_label": "buyers", "content_type__model": "buyer", "object_id": str(buyer.pk)}
            AuditEntry.objects.filter(**named).update(object_repr=str(buyer)[:200])
            LogEntry.objects.filter(**named).update(object_repr=str(buyer)[:200])
            audit_record(obj=buyer, action="buyer_deleted")
    if avatar:
        transaction.on_commit(lambda: default_storage.delete(avatar))
    transaction.on_commit(flush_erased_rows)


def flush_erased_rows() -> None:
    """Leave no readable copy of erased rows in SQLite's files: secure_delete (settings)
    zeroes the space an erased value leaves in the database file, and a checkpoint moves
    the write-ahead log's pages into it and truncates the log. PostgreSQL keeps old row
    versions until VACUUM (README, "Erasure")."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    try:
        with connection.cursor() as cursor:
            busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except DatabaseError as error:  # the account is deleted already: no error for the buyer
        busy = error
    if busy:  # a reader still holds the log: SQLite's next automatic checkpoint moves it
        logger.warning("The checkpoint after an erasure did not complete (%s)", busy)
        busy, _log, _moved = cursor.fetchone()
    if busy:  # a reader held the log: the next checkpoint (SQLite's own, or the next deletion) finishes it
        logger.warning("erasure: the write-ahead log could not be truncated at once (a reader held it)")
