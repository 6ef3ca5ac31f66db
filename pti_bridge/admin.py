"""The back office's plumbing: staff accounts, the audit trail and the outbox.

`AuditTrailMixin` gives any ModelAdmin a read-only "audit trail" field that shows
the object's audit rows on its change page; the apps' admins use it.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pti_bridge.audit import audit_trail
from pti_bridge.errors import DomainError
from pti_bridge.images import CleanImageField
from pti_bridge.labels import (  # noqa: F401 - the labels' names as the admin has long offered them
    AUDIT_ACTION_LABELS,
    NOTIFICATION_KIND_LABELS,
    audit_action_label,
    audit_note_label,
    audit_status_change,
    notification_kind_label,
    status_label,
)
from pti_bridge.models import AuditEntry, Notification
from pti_bridge.outbox import notification_retry
from pti_bridge.tasks import schedule_renditions

User = get_user_model()

# Enough to read the story of one object; the full trail is in the audit admin.
AUDIT_TRAIL_LIMIT = 50


class CleanImagesMixin:
    """Image fields named in `clean_images` ({field name: pipeline purpose}) go through the
    upload pipeline in the admin too: a bad file is a form error, a good one is stored cleaned.
    When the field is the one the model's renditions are made from (its RENDITIONS), a new,
    replaced or removed file has its renditions made or cleared once the save commits."""

    clean_images: dict[str, str] = {}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        spec = getattr(type(obj), "RENDITIONS", None)
        if spec is not None and spec.file_field in self.clean_images and spec.file_field in form.changed_data:
            schedule_renditions(obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        purpose = self.clean_images.get(db_field.name)
        if purpose is None:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        return CleanImageField(
            purpose=purpose,
            required=not db_field.blank,
            label=capfirst(db_field.verbose_name),
            help_text=db_field.help_text,
        )


class AuditTrailMixin:
    """Adds `audit_trail_display`, a read-only field listing the object's audit rows.

    Put "audit_trail_display" in `readonly_fields` and in a fieldset.
    """

    @admin.display(description=_("audit trail"))
    def audit_trail_display(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        entries = list(audit_trail(obj)[:AUDIT_TRAIL_LIMIT])
        if not entries:
            return _("Nothing recorded yet.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    date_format(localtime(entry.created_at), "DATETIME_FORMAT"),
                    audit_action_label(entry.action),
                    audit_status_change(entry),
                    entry.actor or "-",
                    audit_note_label(entry.content_type.model_class(), entry.note),
                )
                for entry in entries
            ),
        )
        return format_html(
            '<table class="audit-trail"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            _("when"),
            _("action"),
            _("status"),
            _("by"),
            _("note"),
            rows,
        )


class ReadOnlyAdminMixin:
    """Staff read these records; only the code that owns them writes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StaffUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class StaffUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("username", "email", "first_name", "last_name")

    def has_change_permission(self, request, obj=None):
        # Staff may not take over a superuser's account (its e-mail, password or rights).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Staff manage accounts but cannot hand out more power than the staff group has.
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return readonly


class CodeLabelFilter(admin.SimpleListFilter):
    """The codes in use in the field `parameter_name`, each in staff's words (`label(code)`)."""

    label = staticmethod(str)

    def lookups(self, request, model_admin):
        field = self.parameter_name
        codes = model_admin.model.objects.order_by(field).values_list(field, flat=True).distinct()
        return [(code, self.label(code)) for code in codes]

    def queryset(self, request, queryset):
        return queryset.filter(**{self.parameter_name: self.value()}) if self.value() else queryset


class AuditActionFilter(CodeLabelFilter):
    title = _("action")
    parameter_name = "action"
    label = staticmethod(audit_action_label)


class NotificationKindFilter(CodeLabelFilter):
    title = _("kind")
    parameter_name = "kind"
    label = staticmethod(notification_kind_label)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "object_label",
        "content_type",
        "action_label",
        "status_change",
        "actor",
        "note_label",
    )
    list_filter = (AuditActionFilter, "content_type")
    search_fields = ("object_repr", "note", "actor__email")
    list_select_related = ("content_type", "actor")
    date_hierarchy = "created_at"
    fields = ("created_at", "object_label", "content_type", "object_id", "action_label", "status_change", "actor")
    fields += ("note_label",)
    readonly_fields = fields

    @admin.display(description=_("object"), ordering="object_repr")
    def object_label(self, obj):
        # The name recorded when it happened; a name that is one of our phrases ("Inquiry policy") reads translated.
        return gettext(obj.object_repr) if obj.object_repr else ""

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj):
        return audit_action_label(obj.action)

    @admin.display(description=_("status"))
    def status_change(self, obj):
        return audit_status_change(obj) or "-"

    @admin.display(description=_("note"))
    def note_label(self, obj):
        return audit_note_label(obj.content_type.model_class(), obj.note)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "channel",
        "kind_label",
        "recipient",
        "status_display",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error_short",
    )
    list_filter = ("status", "channel", NotificationKindFilter)
    search_fields = ("recipient", "kind")
    date_hierarchy = "created_at"
    actions = ("retry_failed",)

    fields = ("created_at", "channel", "kind_label", "recipient", "status", "attempts", "next_attempt_at", "sent_at")
    fields += ("last_error", "payload_display")
    readonly_fields = ("kind_label", "payload_display")

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return notification_kind_label(obj.kind)

    @admin.display(description=_("payload"))
    def payload_display(self, obj):
        # What was sent, as it was sent (an exporter's e-mail is English): data, not words of ours.
        return format_html(
            '<pre class="pti-payload" translate="no">{}</pre>', json.dumps(obj.payload, ensure_ascii=False, indent=2)
        )

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        if obj.status == Notification.Status.FAILED:
            # Failed rows wait for staff: they stand out in the list.
            return format_html('<strong class="notification-failed">⚠ {}</strong>', obj.get_status_display())
        return obj.get_status_display()

    @admin.display(description=_("last error"))
    def last_error_short(self, obj):
        return obj.last_error[:120]

    @admin.action(description=_("Send the selected failed notifications again"))
    def retry_failed(self, request, queryset):
        run_per_object(
            self,
            request,
            queryset,
            lambda notification: notification_retry(notification=notification, actor=request.user),
            success_message=lambda n: _("%(n)d notifications will be sent again.") % {"n": n},
        )


# Shared by the apps' bulk actions: every action calls a service per object and
# turns each refusal into a message that names the object.

REFUSALS = (DomainError, ValidationError, PermissionDenied)


def refusal_text(error: Exception) -> str:
    """The human words of a service's refusal."""
    if isinstance(error, DomainError):
        return str(error.message)
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or str(_("You may not do this."))


def run_per_object(modeladmin, request, objects, apply, *, success_message) -> int:
    """Call `apply(obj)` for each object; report each refusal by name and the successes in one message.

    `success_message(count)` words the success; returns how many succeeded.
    """
    done = 0
    for obj in objects:
        try:
            apply(obj)
        except REFUSALS as error:
            modeladmin.message_user(
                request,
                _("“%(object)s”: %(error)s") % {"object": obj, "error": refusal_text(error)},
                messages.ERROR,
            )
        else:
            done += 1
    if done:
        modeladmin.message_user(request, success_message(done), messages.SUCCESS)
    return done


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), max_length=2000)

    def __init__(self, *args, required: bool = True, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        self.fields["reason"].help_text = help_text


def ask_reason(modeladmin, request, objects, *, title, intro, required=True, help_text="", action=None):
    """The intermediate page of an action that needs a reason (like Django's delete confirmation).

    Returns `(reason, None)` once the page was submitted with a valid reason, or
    `(None, response)`: the page to show, with the form's errors if any. `action` is the
    bulk action's name; leave it out for a single object's page.
    """
    if request.method == "POST" and request.POST.get("post") == "yes":
        form = ReasonForm(request.POST, required=required, help_text=help_text)
        if form.is_valid():
            return form.cleaned_data["reason"].strip(), None
    else:
        form = ReasonForm(required=required, help_text=help_text)
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "objects": objects,
        "form": form,
        "opts": opts,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return None, TemplateResponse(request, "admin/action_reason.html", context)
