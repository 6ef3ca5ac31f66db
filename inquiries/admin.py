"""The staff's inquiry workflow in the back office.

The list is a queue: what waits for staff or the exporter first, oldest first, with what is
past the response target (INQUIRY_RESPONSE_TARGET_WORKING_DAYS working days) marked. An
inquiry's page shows the thread (each message beside its translation, with a translation
field), internal notes, and the actions: screen, forward, spam, close won or lost, reopen,
assign. Every action calls the service in inquiries/services.py; a refusal is an admin
message. The inquiry's own fields stay read-only: only the services change them.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.models import Currency
from inquiries import mediation, services
from inquiries.models import Inquiry, InquiryPolicy, Message
from pti_bridge.admin import REFUSALS, AuditTrailMixin, ReadOnlyAdminMixin, ask_reason, refusal_text, run_per_object
from pti_bridge.workdays import overdue_before, response_due_at, target_working_days, working_days_between

Status = Inquiry.Status
UNANSWERED = (Status.NEW, Status.SCREENING, Status.FORWARDED)


def _untranslated():
    """How many of the thread's messages others should read still wait for staff to pass them on."""
    return Coalesce(
        Subquery(
            Message.objects.filter(
                inquiry=OuterRef("pk"),
                author_role__in=[Message.AuthorRole.BUYER, Message.AuthorRole.EXPORTER],
                translation="",
                sent_as_written=False,
                screening=Message.Screening.PASSED,
            )
            .exclude(author_role=Message.AuthorRole.BUYER, text="")  # erased with the buyer's account
            .values("inquiry")
            .annotate(n=Count("id"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def queue(queryset):
    """Annotate the queue's order: waiting for staff or the exporter (oldest first), then
    answers to translate, then answered, then closed."""
    return queryset.annotate(
        waiting_since=Case(
            When(status=Status.FORWARDED, then=F("forwarded_at")),
            When(status__in=[Status.NEW, Status.SCREENING], then=F("created_at")),
            default=None,
        ),
        untranslated=_untranslated(),
    ).annotate(
        queue_rank=Case(
            When(status__in=UNANSWERED, then=Value(0)),
            When(status=Status.ANSWERED, untranslated__gt=0, then=Value(1)),
            When(status=Status.ANSWERED, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    )


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("Waiting for an answer")),
            ("overdue", _("Past the response target")),
            ("translate", _("Messages to translate")),
            ("mine", _("Assigned to me")),
            ("unassigned", _("Not assigned")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "waiting":
            return queryset.filter(status__in=UNANSWERED)
        if value == "overdue":
            return queryset.filter(status__in=UNANSWERED, waiting_since__lt=overdue_before(timezone.now()))
        if value == "translate":
            return queryset.filter(untranslated__gt=0).exclude(status=Status.SPAM)
        if value == "mine":
            return queryset.filter(assigned_to=request.user)
        if value == "unassigned":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class CloseWonForm(forms.Form):
    deal_value = forms.CharField(label=_("Deal value"), max_length=20)
    deal_currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    deal_volume = forms.CharField(label=_("Volume"), max_length=100, help_text=_("e.g. 2 t, 1 container"))


class CloseLostForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2, "cols": 40}), max_length=2000)


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username"),
        required=False,
        empty_label=_("Nobody"),
    )


class EnglishForm(forms.Form):
    """The English the exporter reads for what the buyer wrote in Chinese (mediation.ENGLISH_FIELDS)."""

    destination_en = forms.CharField(label=_("Destination in English"), max_length=200, required=False)
    buyer_name_en = forms.CharField(label=_("Buyer's name in English"), max_length=100, required=False)
    buyer_company_en = forms.CharField(label=_("Buyer's company in English"), max_length=200, required=False)

    def __init__(self, *args, inquiry: Inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        originals = {name: original(inquiry) for name, (_label, original) in mediation.ENGLISH_FIELDS.items()}
        for name, original in originals.items():
            if original:
                self.fields[name].widget.attrs.update(lang="en", size=40)
                self.fields[name].original = original
            else:  # nothing the buyer wrote: nothing to put into English
                del self.fields[name]


# The buttons each state offers (the services decide; these only spare staff a refusal).
SIMPLE_ACTIONS = {
    "screen": (_("Take up for screening"), services.inquiry_screen),
    "forward": (_("Forward to the exporter"), services.inquiry_forward),
    "mark_spam": (_("Mark as spam"), services.inquiry_mark_spam),
    "reopen": (_("Reopen"), services.inquiry_reopen),
}


@admin.register(Inquiry)
class InquiryAdmin(AuditTrailMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    change_form_template = "admin/inquiries/inquiry/change_form.html"
    change_list_template = "admin/inquiries/inquiry/change_list.html"
    list_display = (
        "inquiry_display",
        "status_badge",
        "waiting_display",
        "untranslated_display",
        "exporter",
        "buyer",
        "assigned_to",
        "created_at",
    )
    list_display_links = ("inquiry_display",)
    list_filter = (QueueFilter, "status", "exporter__country", "product__category", "assigned_to")
    search_fields = (
        "product__name_en",
        "product__name_zh_hans",
        "exporter__name",
        "buyer__display_name",
        "buyer__company",
        "destination",
        "messages__text",
        "messages__translation",
    )
    list_select_related = ("product", "exporter", "buyer", "assigned_to")
    date_hierarchy = "created_at"
    actions = ("screen_selected", "forward_selected", "mark_spam_selected", "assign_to_me", "close_lost_selected")
    # target price and currency: target_price_display; destination: destination_display;
    # the English fields: their form above the thread
    exclude = (
        "idempotency_key",
        "request_fingerprint",
        "target_price",
        "currency",
        "destination",
        "destination_en",
        "buyer_name_en",
        "buyer_company_en",
    )
    readonly_fields = (
        "buyer",
        "product",
        "exporter",
        "quantity",
        "unit",
        "target_price_display",
        "destination_display",
        "share_contact",
        "status",
        "assigned_to",
        "deal_value",
        "deal_currency",
        "deal_volume",
        "lost_reason",
        "created_at",
        "screening_at",
        "forwarded_at",
        "answered_at",
        "closed_at",
        "last_activity_at",
        "buyer_read_at",
        "audit_trail_display",
    )

    @admin.display(description=_("target price"))
    def target_price_display(self, obj):
        """As staff read it: "USD 6.00 / 公斤" (the unit's label in the admin's language)."""
        if obj.target_price is None:
            return "-"
        return f"{obj.currency} {obj.target_price:.2f} / {obj.get_unit_display()}".strip()

    @admin.display(description=_("destination"))
    def destination_display(self, obj):
        if obj.buyer.deleted_at is not None:
            return _("(deleted by the buyer with their account)")
        return obj.destination or "-"

    def get_queryset(self, request):
        # Annotated before ordering: the queue is ordered by its annotations.
        return queue(self.model._default_manager.get_queryset()).order_by(*self.get_ordering(request))

    def changelist_view(self, request, extra_context=None):
        extra = {"response_target_days": target_working_days(), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def get_ordering(self, request):
        return ("queue_rank", "waiting_since", "-last_activity_at")

    # The queue's columns.

    @admin.display(description=_("inquiry"))
    def inquiry_display(self, obj):
        return format_html("#{} {}", obj.pk, obj.product.name_en)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return format_html('<span class="inquiry-status s-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description=_("waiting"), ordering="waiting_since")
    def waiting_display(self, obj):
        since = getattr(obj, "waiting_since", None)
        if since is None:
            return "-"
        now = timezone.now()
        days = working_days_between(since, now)
        if days:
            text = ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days}
        else:
            text = _("under a working day")
        if response_due_at(since) < now:
            return format_html(
                '<strong class="inquiry-overdue" title="{}">⚠ {} · {}</strong>',
                _("Past the response target of %(n)d working days") % {"n": target_working_days()},
                text,
                _("overdue"),
            )
        return text

    @admin.display(description=_("to translate"), ordering="untranslated")
    def untranslated_display(self, obj):
        count = getattr(obj, "untranslated", 0)
        return format_html('<span class="inquiry-untranslated">{}</span>', count) if count else ""

    # Bulk actions: each inquiry through its service, each refusal named.

    def _bulk(self, request, queryset, service, done_text):
        run_per_object(
            self,
            request,
            queryset,
            lambda inquiry: service(inquiry=inquiry, actor=request.user),
            success_message=lambda n: done_text % {"n": n},
        )

    @admin.action(description=_("Take up selected inquiries for screening"))
    def screen_selected(self, request, queryset):
        self._bulk(request, queryset, services.inquiry_screen, _("%(n)d inquiries taken up for screening."))

    @admin.action(description=_("Forward selected inquiries to their exporters"))
    def forward_selected(self, request, queryset):
        self._bulk(request, queryset, services.inquiry_forward, _("%(n)d inquiries forwarded."))

    @admin.action(description=_("Mark selected inquiries as spam"))
    def mark_spam_selected(self, request, queryset):
        self._bulk(request, queryset, services.inquiry_mark_spam, _("%(n)d inquiries marked as spam."))

    @admin.action(description=_("Assign selected inquiries to me"))
    def assign_to_me(self, request, queryset):
        run_per_object(
            self,
            request,
            queryset,
            lambda inquiry: services.inquiry_assign(inquiry=inquiry, assignee=request.user, actor=request.user),
            success_message=lambda n: _("%(n)d inquiries assigned to you.") % {"n": n},
        )

    @admin.action(description=_("Close selected inquiries as lost…"))
    def close_lost_selected(self, request, queryset):
        objects = list(queryset)
        reason, response = ask_reason(
            self,
            request,
            objects,
            title=_("Close inquiries as lost"),
            intro=_("Why were these inquiries lost? The reason counts in the reports."),
            action="close_lost_selected",
        )
        if response is not None:
            return response
        run_per_object(
            self,
            request,
            objects,
            lambda inquiry: services.inquiry_close_lost(inquiry=inquiry, actor=request.user, reason=reason),
            success_message=lambda n: _("%(n)d inquiries closed as lost.") % {"n": n},
        )
        return None

    # The inquiry's page: the thread and the workflow's forms.

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/workflow/<str:action>/", wrap(self.workflow_view), name="inquiries_inquiry_workflow"),
            path(
                "<int:pk>/messages/<int:message_pk>/translate/",
                wrap(self.translate_view),
                name="inquiries_inquiry_translate",
            ),
            path("<int:pk>/notes/", wrap(self.note_view), name="inquiries_inquiry_note"),
            path(
                "<int:pk>/messages/<int:message_pk>/send-as-written/",
                wrap(self.send_as_written_view),
                name="inquiries_inquiry_send_as_written",
            ),
            path("<int:pk>/english/", wrap(self.english_view), name="inquiries_inquiry_english"),
            path("<int:pk>/write/<str:addressed_to>/", wrap(self.write_view), name="inquiries_inquiry_write"),
            path(
                "<int:pk>/messages/<int:message_pk>/review/<str:decision>/",
                wrap(self.review_view),
                name="inquiries_inquiry_review",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        inquiry = self.get_object(request, object_id)
        extra = {}
        if inquiry is not None:
            thread = list(inquiry.messages.select_related("author_user", "translated_by").order_by("created_at", "id"))
            actions = [
                (name, label)
                for name, (label, _service) in SIMPLE_ACTIONS.items()
                if inquiry.status in services.ALLOWED_FROM[name]
            ]
            extra = {
                "thread": thread,
                "workflow_actions": actions,
                "can_close_won": inquiry.status in services.ALLOWED_FROM["close_won"],
                "can_close_lost": inquiry.status in services.ALLOWED_FROM["close_lost"],
                "close_won_form": CloseWonForm(initial={"deal_currency": inquiry.currency or Currency.USD}),
                "close_lost_form": CloseLostForm(),
                "assign_form": AssignForm(initial={"assigned_to": inquiry.assigned_to_id}),
                "response_due_at": response_due_at(inquiry.waiting_since) if inquiry.waiting_since else None,
                "overdue": bool(inquiry.waiting_since and response_due_at(inquiry.waiting_since) < timezone.now()),
                "english_form": EnglishForm(initial=mediation.english_suggestions(inquiry), inquiry=inquiry),
                "english_missing": mediation.english_missing(inquiry),
                "can_write_to_exporter": inquiry.status in mediation.WITH_EXPORTER,
                "can_write_to_buyer": inquiry.status not in mediation.CLOSED,
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def _inquiry_or_404(self, request, pk) -> Inquiry:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Inquiry, pk=pk)

    def _back(self, inquiry, anchor="workflow"):
        return HttpResponseRedirect(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]) + f"#{anchor}")

    def _apply(self, request, inquiry, call, success) -> None:
        try:
            call()
        except REFUSALS as error:
            self.message_user(request, refusal_text(error), messages.ERROR)
        else:
            self.message_user(request, success, messages.SUCCESS)

    def workflow_view(self, request, pk, action):
        inquiry = self._inquiry_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        actor = request.user
        if action in SIMPLE_ACTIONS:
            label, service = SIMPLE_ACTIONS[action]
            self._apply(
                request,
                inquiry,
                lambda: service(inquiry=inquiry, actor=actor),
                _("%(inquiry)s: %(action)s, done.") % {"inquiry": inquiry, "action": label},
            )
        elif action == "close_won":
            form = CloseWonForm(request.POST)
            if not form.is_valid():
                self.message_user(request, _form_errors(form), messages.ERROR)
            else:
                self._apply(
                    request,
                    inquiry,
                    lambda: services.inquiry_close_won(inquiry=inquiry, actor=actor, **form.cleaned_data),
                    _("%(inquiry)s is closed as won.") % {"inquiry": inquiry},
                )
        elif action == "close_lost":
            form = CloseLostForm(request.POST)
            if not form.is_valid():
                self.message_user(request, _form_errors(form), messages.ERROR)
            else:
                self._apply(
                    request,
                    inquiry,
                    lambda: services.inquiry_close_lost(
                        inquiry=inquiry, actor=actor, reason=form.cleaned_data["reason"]
                    ),
                    _("%(inquiry)s is closed as lost.") % {"inquiry": inquiry},
                )
        elif action == "assign":
            form = AssignForm(request.POST)
            if not form.is_valid():
                self.message_user(request, _form_errors(form), messages.ERROR)
            else:
                assignee = form.cleaned_data["assigned_to"]
                self._apply(
                    request,
                    inquiry,
                    lambda: services.inquiry_assign(inquiry=inquiry, assignee=assignee, actor=actor),
                    _("%(inquiry)s is assigned to %(who)s.") % {"inquiry": inquiry, "who": assignee or _("nobody")},
                )
        else:
            self.message_user(request, _("Unknown action."), messages.ERROR)
        return self._back(inquiry)

    def _on_message(self, request, pk, message_pk, act, success):
        """A staff action on one message of the inquiry (POST only): `act(message)`, then
        `success` (with the message's %(id)s) or the refusal shown, back at the message."""
        inquiry = self._inquiry_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        message = get_object_or_404(Message, pk=message_pk, inquiry=inquiry)
        self._apply(request, inquiry, lambda: act(message), success % {"id": message.pk})
        return self._back(inquiry, anchor=f"message-{message.pk}")

    def translate_view(self, request, pk, message_pk):
        translation = request.POST.get("translation", "")
        return self._on_message(
            request,
            pk,
            message_pk,
            lambda message: services.message_translate(message=message, translation=translation, actor=request.user),
            _("The translation of message #%(id)s is saved."),
        )

    def review_view(self, request, pk, message_pk, decision):
        """Release or reject a message WeChat's content check held for staff."""
        if decision not in ("release", "reject"):
            raise Http404
        release = decision == "release"
        return self._on_message(
            request,
            pk,
            message_pk,
            lambda message: services.message_review(message=message, actor=request.user, release=release),
            _("Message #%(id)s is released to the thread.") if release else _("Message #%(id)s is rejected."),
        )

    def send_as_written_view(self, request, pk, message_pk):
        """The message is in the reader's language already (the buyer wrote English): pass it on."""
        return self._on_message(
            request,
            pk,
            message_pk,
            lambda message: services.message_send_as_written(message=message, actor=request.user),
            _("Message #%(id)s is passed on as written."),
        )

    def english_view(self, request, pk):
        inquiry = self._inquiry_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = EnglishForm(request.POST, inquiry=inquiry)
        if not form.is_valid():
            self.message_user(request, _form_errors(form), messages.ERROR)
        else:
            self._apply(
                request,
                inquiry,
                lambda: services.inquiry_set_english(inquiry=inquiry, actor=request.user, **form.cleaned_data),
                _("The English for the exporter is saved."),
            )
        return self._back(inquiry, anchor="english")

    def write_view(self, request, pk, addressed_to):
        """Staff write to the buyer (Chinese) or the exporter (English)."""
        inquiry = self._inquiry_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if addressed_to not in (Message.AuthorRole.BUYER, Message.AuthorRole.EXPORTER):
            raise Http404
        self._apply(
            request,
            inquiry,
            lambda: services.message_post_by_staff(
                inquiry=inquiry, addressed_to=addressed_to, text=request.POST.get("text", ""), actor=request.user
            ),
            _("Your message to the buyer is sent.")
            if addressed_to == Message.AuthorRole.BUYER
            else _("Your message to the exporter is sent."),
        )
        return self._back(inquiry, anchor="thread")

    def note_view(self, request, pk):
        inquiry = self._inquiry_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._apply(
            request,
            inquiry,
            lambda: services.note_add(inquiry=inquiry, text=request.POST.get("text", ""), actor=request.user),
            _("The internal note is added."),
        )
        return self._back(inquiry, anchor="thread")


def _form_errors(form) -> str:
    return " ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())


@admin.register(InquiryPolicy)
class InquiryPolicyAdmin(admin.ModelAdmin):
    """One row: whether new inquiries wait for staff screening. Saved through the service."""

    fields = ("screening_required", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")

    list_display = ("__str__", "screening_required", "updated_at", "updated_by")

    def has_add_permission(self, request):
        return not InquiryPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.inquiry_policy_set(screening_required=obj.screening_required, actor=request.user)
