"""Every change to an exporting company goes through these functions."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.signing import BadSignature, TimestampSigner
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exporters import notifications
from exporters.document_checks import CheckedDocument, inspect_document
from exporters.models import Exporter, ExporterDocument, ExporterMember, Sector
from pti_bridge import hooks
from pti_bridge.api.caching import bump_version
from pti_bridge.audit import audit_record
from pti_bridge.errors import InvalidTransition, RuleViolation
from pti_bridge.images import STORAGE_ERRORS, StorageUnavailable, delete_quietly
from pti_bridge.permissions import require_staff
from pti_bridge.tasks import schedule_renditions
from pti_bridge.text import CJK_RE

Status = Exporter.VerificationStatus


def _change_verification(
    *, exporter: Exporter, actor, to_status: str, allowed_from: set[str], action: str, note: str, check=None
) -> Exporter:
    require_staff(actor)
    with transaction.atomic():
        exporter = Exporter.objects.select_for_update().get(pk=exporter.pk)
        from_status = exporter.verification_status
        if from_status not in allowed_from:
            raise InvalidTransition(
                _("%(name)s is already %(status)s.")
                % {"name": exporter.name, "status": exporter.get_verification_status_display().lower()}
            )
        if check is not None:
            check(exporter)
        exporter.verification_status = to_status
        if to_status == Status.VERIFIED:
            exporter.verified_at = timezone.now()
            exporter.verified_by = actor
        exporter.full_clean()
        exporter.save()
        audit_record(obj=exporter, action=action, actor=actor, from_status=from_status, to_status=to_status, note=note)
        if to_status == Status.VERIFIED:
            notifications.notify_exporter_verified(exporter, reinstated=from_status == Status.SUSPENDED)
        # Its products appear in or vanish from the catalogue: cached API answers are stale.
        bump_version("catalogue")
    return exporter


def exporter_verify(*, exporter: Exporter, actor, note: str = "") -> Exporter:
    """Staff vouch for a pending (or reinstate a suspended) company; its products may then be published.

    The required documents must be accepted and current; without them staff say in `note`
    how they checked the company instead (kept in the audit trail)."""

    def check(locked: Exporter) -> None:
        gaps = verification_gaps(locked)
        if gaps and not note.strip():
            raise RuleViolation(verification_gaps_text(gaps), code="documents_missing")

    return _change_verification(
        exporter=exporter,
        actor=actor,
        to_status=Status.VERIFIED,
        allowed_from={Status.PENDING, Status.SUSPENDED},
        action="verify",
        note=note,
        check=check,
    )


def verification_gaps_text(gaps) -> str:
    """What stops verification, in the language of the staff member reading it."""
    return _("Cannot verify yet: %(gaps)s. Accept these documents first, or write how you checked the company.") % {
        "gaps": _("; ").join(_("%(kind)s %(state)s") % {"kind": gap.label, "state": gap.state_label} for gap in gaps)
    }


def exporter_suspend(*, exporter: Exporter, actor, reason: str = "") -> Exporter:
    """Staff suspend a company: its products disappear from the catalogue at once."""
    return _change_verification(
        exporter=exporter,
        actor=actor,
        to_status=Status.SUSPENDED,
        allowed_from={Status.PENDING, Status.VERIFIED},
        action="suspend",
        note=reason,
    )


# Portal accounts: registration, e-mail confirmation, colleagues, the company profile.
#
# A portal user is created inactive and becomes active when the e-mail address is
# confirmed (registration) or the invitation is accepted (colleague); the signed links
# below are valid only while the account has never signed in and is still inactive,
# so an old link cannot reactivate an account staff deactivated later.

CONFIRM_EMAIL_SALT = "exporters.confirm-email"
CONFIRM_EMAIL_MAX_AGE = timedelta(days=3)
INVITE_SALT = "exporters.invite"
INVITE_MAX_AGE = timedelta(days=7)

# Fields of the company an exporter edits in the portal (staff-only facts are left out).
PROFILE_FIELDS = (
    "name",
    "country",
    "sector",
    "address",
    "phone",
    "website",
    "description_en",
    "year_founded",
    "export_markets",
    "gacc_registration_number",
)


def make_user_token(user, *, salt: str) -> str:
    data = {"u": user.pk, "e": user.email.lower()}
    if salt == INVITE_SALT:
        data["p"] = _invite_fingerprint(user)
    return TimestampSigner(salt=salt).sign_object(data)


def _invite_fingerprint(user) -> str:
    """A short digest of the invitee's (unusable, random) password: resending the invitation
    sets a new one, so the links sent before stop working."""
    return salted_hmac(INVITE_SALT, user.password, algorithm="sha256").hexdigest()[:20]


def user_from_token(token: str, *, salt: str, max_age: timedelta):
    """The inactive, never signed-in user a signed link names, or None (bad, expired or used)."""
    try:
        data = TimestampSigner(salt=salt).unsign_object(token, max_age=max_age)
    except (BadSignature, TypeError, ValueError):
        return None
    User = get_user_model()
    user = User.objects.filter(pk=data.get("u"), email__iexact=data.get("e", ""), last_login__isnull=True).first()
    if user is not None and salt == INVITE_SALT:
        # An invitation link works only for the latest invitation of a colleague still on the team.
        if data.get("p") != _invite_fingerprint(user) or not ExporterMember.objects.filter(user=user).exists():
            return None
    return user


def _send_after_commit(*, to: str, template: str, context: dict) -> None:
    """Render now, send once the transaction commits (robust: a mail server that is down
    does not turn a saved registration into an error page; the outbox will retry later)."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]), robust=True)


def send_confirmation_email(user) -> None:
    link = settings.SITE_URL + reverse(
        "portal:confirm_email", kwargs={"token": make_user_token(user, salt=CONFIRM_EMAIL_SALT)}
    )
    _send_after_commit(
        to=user.email,
        template="confirm_email",
        context={"user": user, "link": link, "days": CONFIRM_EMAIL_MAX_AGE.days},
    )


def _duplicate_registration_error(*, email: str, company_name: str) -> ValidationError | None:
    User = get_user_model()
    errors = {}
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
        errors["email"] = _("An account with this e-mail address already exists. Sign in, or reset your password.")
    if company_name and Exporter.objects.filter(name__iexact=company_name).exists():
        errors["name"] = _(
            "A company with this name is already registered. Ask its owner to invite you as a colleague."
        )
    return ValidationError(errors) if errors else None


def exporter_register(*, company: dict, email: str, password: str, first_name: str = "", last_name: str = ""):
    """Register a company and its first user (the owner), waiting for e-mail confirmation
    and for staff verification. Refuses a second account for the same e-mail address or
    company name, including two at the same moment: the database constraints decide and
    the loser gets the same form error. Sends the confirmation link after commit."""
    email = email.strip()
    error = _duplicate_registration_error(email=email, company_name=company.get("name", ""))
    if error:
        raise error
    User = get_user_model()
    try:
        with transaction.atomic():
            exporter = Exporter(**{key: company[key] for key in PROFILE_FIELDS if key in company})
            exporter.verification_status = Status.PENDING
            exporter.full_clean(validate_unique=False, validate_constraints=False)
            exporter.save()
            user = User(
                username=email.lower(), email=email, first_name=first_name, last_name=last_name, is_active=False
            )
            user.set_password(password)
            user.full_clean(validate_unique=False, validate_constraints=False)
            user.save()
            member = ExporterMember(user=user, exporter=exporter, role=ExporterMember.Role.OWNER)
            member.full_clean(validate_unique=False)
            member.save()
            audit_record(obj=exporter, action="register", actor=user, to_status=Status.PENDING, note=email)
            send_confirmation_email(user)
    except IntegrityError:
        error = _duplicate_registration_error(email=email, company_name=company.get("name", ""))
        if error:
            raise error from None
        raise
    return member


def user_confirm_email(*, token: str):
    """Activate the account a confirmation link names; None when the link is bad or expired."""
    with transaction.atomic():
        user = user_from_token(token, salt=CONFIRM_EMAIL_SALT, max_age=CONFIRM_EMAIL_MAX_AGE)
        if user is None:
            return None
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
            audit_record(obj=user, action="confirm_email", actor=user)
    return user


def resend_confirmation(*, email: str) -> None:
    """Send a fresh link to an unconfirmed account; silent otherwise (no account probing)."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is not None and user.awaits_confirmation and user.has_usable_password():
        send_confirmation_email(user)


def _require_owner(*, actor, exporter: Exporter, message: str) -> ExporterMember:
    membership = ExporterMember.objects.filter(user=actor).first() if actor.is_authenticated else None
    if (
        membership is None
        or not actor.is_active
        or membership.exporter_id != exporter.pk
        or membership.role != ExporterMember.Role.OWNER
    ):
        raise PermissionDenied(message)
    return membership


def _send_invitation(*, user, exporter: Exporter, inviter) -> None:
    link = settings.SITE_URL + reverse(
        "portal:accept_invite", kwargs={"token": make_user_token(user, salt=INVITE_SALT)}
    )
    _send_after_commit(
        to=user.email,
        template="invite",
        context={"user": user, "exporter": exporter, "inviter": inviter, "link": link, "days": INVITE_MAX_AGE.days},
    )


def invitation_is_pending(user) -> bool:
    """Invited, and the invitation not yet accepted (never signed in, no password chosen)."""
    return not user.is_active and user.last_login is None and not user.has_usable_password()


def member_invite(*, exporter: Exporter, email: str, first_name: str, last_name: str, actor) -> ExporterMember:
    """An owner invites a colleague: an inactive user without a password, who sets one
    through a signed link sent after commit and then acts for the same company."""
    membership = getattr(actor, "exporter_membership", None)
    if membership is None or membership.exporter_id != exporter.pk or membership.role != ExporterMember.Role.OWNER:
        raise PermissionDenied(_("Only the company's owner may invite colleagues."))
    email = email.strip()
    User = get_user_model()
    duplicate = ValidationError({"email": _("This e-mail address already has an account on PTI Bridge.")})
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
        raise duplicate
    try:
        with transaction.atomic():
            user = User(
                username=email.lower(), email=email, first_name=first_name, last_name=last_name, is_active=False
            )
            user.set_unusable_password()
            user.full_clean(validate_unique=False, validate_constraints=False)
            user.save()
            member = ExporterMember(user=user, exporter=exporter, role=ExporterMember.Role.COLLEAGUE)
            member.full_clean(validate_unique=False)
            member.save()
            audit_record(obj=exporter, action="invite_member", actor=actor, note=email)
            _send_invitation(user=user, exporter=exporter, inviter=actor)
    except IntegrityError:
        raise duplicate from None
    return member


def _team_member_locked(*, exporter: Exporter, member: ExporterMember, actor, message) -> ExporterMember:
    """`member` of `exporter`'s team, locked, inside the caller's transaction. One change to a
    team at a time (two owners removing each other at once): the company's row is the lock,
    and the actor's role is checked again behind it."""
    Exporter.objects.select_for_update().filter(pk=exporter.pk).first()
    _require_owner(actor=actor, exporter=exporter, message=message)
    locked = (
        ExporterMember.objects.select_for_update().select_related("user").filter(pk=member.pk, exporter=exporter)
    ).first()
    if locked is None:
        raise PermissionDenied(_("This person is not on your company's team."))
    return locked


def colleague_remove(*, exporter: Exporter, member: ExporterMember, actor) -> None:
    """The owner takes a person off the company's team. They lose access at once: the
    membership goes (every portal page, the API and the inquiry e-mails ask for it) and the
    account is deactivated (any open session ends). A pending invitation is withdrawn with
    its account, which never signed in and so holds nothing; an account that was used is
    kept, inactive, for the products, replies and audit rows that name it."""
    message = _("Only the company's owner may remove colleagues.")
    _require_owner(actor=actor, exporter=exporter, message=message)
    with transaction.atomic():
        member = _team_member_locked(exporter=exporter, member=member, actor=actor, message=message)
        if member.user_id == actor.pk:
            raise RuleViolation(_("You cannot remove yourself."), code="remove_self")
        owners = ExporterMember.objects.filter(exporter=exporter, role=ExporterMember.Role.OWNER)
        if member.role == ExporterMember.Role.OWNER and owners.exclude(pk=member.pk).count() == 0:
            raise RuleViolation(_("A company keeps at least one owner."), code="last_owner")
        user = member.user
        pending = invitation_is_pending(user)
        audit_record(
            obj=exporter,
            action="withdraw_invitation" if pending else "remove_member",
            actor=actor,
            note=user.email,
        )
        if pending:
            user.delete()
        else:
            member.delete()
            user.is_active = False
            user.save(update_fields=["is_active"])
            audit_record(obj=user, action="deactivate", actor=actor, note=exporter.name)


def invitation_resend(*, exporter: Exporter, member: ExporterMember, actor) -> ExporterMember:
    """The owner sends a pending invitation again: a fresh link, valid for INVITE_MAX_AGE
    from now, in one new e-mail; the links sent before stop working."""
    message = _("Only the company's owner may resend invitations.")
    _require_owner(actor=actor, exporter=exporter, message=message)
    with transaction.atomic():
        member = _team_member_locked(exporter=exporter, member=member, actor=actor, message=message)
        user = member.user
        if not invitation_is_pending(user):
            raise InvalidTransition(
                _("%(email)s has accepted the invitation already.") % {"email": user.email}, code="accepted"
            )
        user.set_unusable_password()  # a new random value: the old links no longer match
        user.save(update_fields=["password"])
        audit_record(obj=exporter, action="resend_invitation", actor=actor, note=user.email)
        _send_invitation(user=user, exporter=exporter, inviter=actor)
    return member


def member_accept_invite(*, user, password: str):
    """The invited colleague sets a password; the account becomes active."""
    with transaction.atomic():
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        audit_record(obj=user, action="accept_invite", actor=user)
    return user


def exporter_update_profile(*, exporter: Exporter, data: dict, actor, logo=None) -> Exporter:
    """A company user edits its profile; the verification status is not theirs to change."""
    membership = getattr(actor, "exporter_membership", None)
    if membership is None or membership.exporter_id != exporter.pk:
        raise PermissionDenied(_("This company is not yours."))
    try:
        with transaction.atomic():
            exporter = Exporter.objects.select_for_update().get(pk=exporter.pk)
            changed = [key for key in PROFILE_FIELDS if key in data and getattr(exporter, key) != data[key]]
            for key in changed:
                setattr(exporter, key, data[key])
            if logo is not None:
                exporter.logo = logo
                changed.append("logo")
            if (
                "name" in changed
                and Exporter.objects.filter(name__iexact=exporter.name).exclude(pk=exporter.pk).exists()
            ):
                raise ValidationError({"name": _("Another company already uses this name.")})
            exporter.full_clean(validate_unique=False, validate_constraints=False)
            exporter.save()
            if changed:
                audit_record(obj=exporter, action="update_profile", actor=actor, note=", ".join(changed))
                bump_version("catalogue")  # its name and logo show in the catalogue API
            if "logo" in changed:
                schedule_renditions(exporter)  # the API shows the logo's renditions, made after commit
            if "name" in changed or "name_zh_hans" in changed:
                exporter_renamed(exporter=exporter)
    except IntegrityError:
        raise ValidationError({"name": _("Another company already uses this name.")}) from None
    return exporter


def exporter_renamed(*, exporter: Exporter) -> None:
    """The exporter's name changed (any door): once committed, the apps above refresh what
    they derive from it (the catalogue's search keys) through the "exporter_renamed" hook."""
    hooks.fire_after_commit("exporter_renamed", exporter_id=exporter.pk)


# Verification documents: the company uploads them (portal) or staff do (admin); staff accept
# or refuse each one; verification asks for the required kinds, accepted and current.

Kind = ExporterDocument.Kind
DocumentStatus = ExporterDocument.Status
# China customs registers overseas producers of food and drink (GACC Decree 248).
GACC_SECTORS = frozenset({Sector.AGRICULTURE, Sector.BEVERAGES, Sector.SEAFOOD})
DOCUMENTS_MAX = 50  # per company: a licence, its renewals, certificates; more is a mistake or abuse


def required_document_kinds(exporter: Exporter) -> list[str]:
    """The kinds of document every company needs verified, and GACC registration for food and drink."""
    kinds = [Kind.BUSINESS_LICENCE, Kind.EXPORT_LICENCE]
    if exporter.sector in GACC_SECTORS:
        kinds.append(Kind.GACC)
    return kinds


class ChecklistRow:
    """One required kind: its state ("missing", "waiting", "refused", "expired", "accepted") and
    the document that decides it (the current accepted one, or else the newest)."""

    STATE_LABELS = {
        "missing": gettext_lazy("not uploaded"),
        "waiting": gettext_lazy("waiting for review"),
        "refused": gettext_lazy("refused"),
        "expired": gettext_lazy("expired"),
        "accepted": gettext_lazy("accepted"),
    }

    def __init__(self, kind: str, state: str, document: ExporterDocument | None):
        self.kind, self.state, self.document = kind, state, document

    @property
    def label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def state_label(self) -> str:
        return str(self.STATE_LABELS[self.state])

    @property
    def done(self) -> bool:
        return self.state == "accepted"


def document_checklist(exporter: Exporter, *, today=None) -> list[ChecklistRow]:
    """Where each required document stands. An accepted, unexpired one satisfies its kind even
    while a newer copy waits; otherwise the newest document says what is wrong."""
    today = today or timezone.localdate()
    documents = list(exporter.documents.order_by("-uploaded_at", "-id"))
    rows = []
    for kind in required_document_kinds(exporter):
        of_kind = [document for document in documents if document.kind == kind]
        current = next((document for document in of_kind if document.is_current(today)), None)
        if current is not None:
            rows.append(ChecklistRow(kind, "accepted", current))
        elif not of_kind:
            rows.append(ChecklistRow(kind, "missing", None))
        else:
            newest = of_kind[0]
            state = "expired" if newest.status == DocumentStatus.ACCEPTED else newest.status
            rows.append(ChecklistRow(kind, state, newest))
    return rows


def verification_gaps(exporter: Exporter) -> list[ChecklistRow]:
    """The required documents not yet accepted and current."""
    return [row for row in document_checklist(exporter) if not row.done]


def _require_company_user(*, actor, exporter: Exporter) -> None:
    """The company's own active users (owner or colleague); anyone else is refused."""
    membership = ExporterMember.objects.filter(user=actor).first() if actor.is_authenticated else None
    if membership is None or not actor.is_active or membership.exporter_id != exporter.pk:
        raise PermissionDenied(_("This company is not yours."))


def documents_of(*, exporter: Exporter, actor):
    """The company's documents, newest first, for its own users (staff read them in the admin)."""
    _require_company_user(actor=actor, exporter=exporter)
    return exporter.documents.select_related("uploaded_by").order_by("-uploaded_at", "-id")


def document_upload(
    *, exporter: Exporter, actor, kind: str, file, title: str = "", expires_on=None
) -> ExporterDocument:
    """A company user (or staff) adds a document; it waits for review, whatever came before
    (a new copy of a refused document starts again). `file` is an upload, checked here, or the
    CheckedDocument a form already made of it. StorageUnavailable when the store is down."""
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        _require_company_user(actor=actor, exporter=exporter)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what kind of document this is.")})
    checked = file if isinstance(file, CheckedDocument) else inspect_document(file)
    with transaction.atomic():
        exporter = Exporter.objects.select_for_update().get(pk=exporter.pk)
        if exporter.documents.count() >= DOCUMENTS_MAX:
            raise RuleViolation(
                _("A company may keep at most %(max)d documents. Ask PTI to remove old ones.") % {"max": DOCUMENTS_MAX},
                code="too_many_documents",
            )
        document = ExporterDocument(
            exporter=exporter,
            kind=kind,
            title=title.strip(),
            expires_on=expires_on,
            file=checked.content,
            uploaded_by=actor,
            status=DocumentStatus.WAITING,
        )
        document.full_clean(exclude=["file"])
        try:
            document.save()  # the file first, then the row: a store that is down leaves neither
        except STORAGE_ERRORS as error:
            raise StorageUnavailable() from error
        audit_record(obj=exporter, action="document_upload", actor=actor, note=str(document))
    return document


def _document_decide(document: ExporterDocument, *, actor, status: str, action: str, reason: str = ""):
    """Record staff's decision on a document that still waits for review (locked, audited)."""
    require_staff(actor)
    document = ExporterDocument.objects.select_for_update().select_related("exporter").get(pk=document.pk)
    if document.status != DocumentStatus.WAITING:
        raise InvalidTransition(
            _("“%(document)s” is already %(status)s.")
            % {"document": document, "status": document.get_status_display().lower()},
            code="already_reviewed",
        )
    document.status, document.refusal_reason = status, reason
    document.reviewed_at, document.reviewed_by = timezone.now(), actor
    document.save(update_fields=["status", "refusal_reason", "reviewed_at", "reviewed_by"])
    # The action's label says what became of the document; the status column is the company's.
    note = f"{document}: {reason}" if reason else str(document)
    audit_record(obj=document.exporter, action=action, actor=actor, note=note)
    return document


def document_accept(*, document: ExporterDocument, actor) -> ExporterDocument:
    """Staff accept a waiting document: it counts towards verification."""
    with transaction.atomic():
        return _document_decide(document, actor=actor, status=DocumentStatus.ACCEPTED, action="document_accept")


def document_refuse(*, document: ExporterDocument, actor, reason: str) -> ExporterDocument:
    """Staff refuse a waiting document and say why, in English: the company's users read the
    reason in the portal and in an e-mail (through the outbox, sent once after commit)."""
    require_staff(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the document is refused; the exporter reads it.")})
    if CJK_RE.search(reason):
        raise ValidationError({"reason": _("Write the reason in English: the exporter reads it as written.")})
    with transaction.atomic():
        document = _document_decide(
            document, actor=actor, status=DocumentStatus.REFUSED, action="document_refuse", reason=reason
        )
        notifications.notify_document_refused(document)
    return document


def document_delete(*, document: ExporterDocument, actor) -> None:
    """Staff remove a document (uploaded by mistake, or to another company): the row goes now,
    its file once that commits, and the audit trail keeps what it was."""
    require_staff(actor)
    with transaction.atomic():
        document = ExporterDocument.objects.select_for_update().select_related("exporter").get(pk=document.pk)
        audit_record(obj=document.exporter, action="document_delete", actor=actor, note=str(document))
        storage, name = document.file.storage, document.file.name
        document.delete()
        transaction.on_commit(lambda: delete_quietly(storage, [name]))
