"""The portal's inbox (inquiries staff forwarded to the company) and its front page.

The dashboard lives here, in the top layer, because it sums up every layer below:
the company (exporters), its listings (catalogue) and its inquiries.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalogue.models import Product
from exporters.views import apply_service_errors, member_required
from inquiries.forms import ReplyForm
from inquiries.models import Inquiry
from inquiries.services import message_post_by_exporter
from pti_bridge.errors import DomainError

REPLY_OPEN = {Inquiry.Status.FORWARDED, Inquiry.Status.ANSWERED}


def get_inquiry_for_exporter(user, pk) -> Inquiry:
    """Inquiry `pk` if staff forwarded it to the company `user` acts for; else Http404."""
    membership = getattr(user, "exporter_membership", None) if user.is_authenticated else None
    if membership is None:
        raise Http404
    inquiry = (
        Inquiry.objects.for_exporter(membership.exporter_id).select_related("product", "buyer").filter(pk=pk).first()
    )
    if inquiry is None:
        raise Http404
    return inquiry


def visible_messages(inquiry):
    """What the exporter may read (Message.objects.visible_to_exporter): no internal notes, nothing
    the content check holds, PTI's messages to the exporter only; the template shows a buyer's
    message in English once staff released it, and a placeholder until then."""
    return inquiry.messages.visible_to_exporter().select_related("author_user").order_by("created_at", "id")


@member_required
def dashboard(request):
    exporter = request.exporter
    counts = dict(Product.objects.for_exporter(exporter).values_list("status").annotate(n=Count("id")).order_by())
    inbox = Inquiry.objects.for_exporter(exporter).aggregate(
        total=Count("id"), unanswered=Count("id", filter=Q(status=Inquiry.Status.FORWARDED))
    )
    pending_edits = Product.objects.for_exporter(exporter).exclude(pending_changes={}).count()
    statuses = [(value, label, counts.get(value, 0)) for value, label in Product.Status.choices]
    return render(
        request,
        "portal/dashboard.html",
        {"exporter": exporter, "statuses": statuses, "inbox": inbox, "pending_edits": pending_edits},
    )


@member_required
def inbox(request):
    inquiries = (
        Inquiry.objects.for_exporter(request.exporter).select_related("product").order_by("-last_activity_at", "-id")
    )
    return render(request, "portal/inbox.html", {"inquiries": inquiries})


@member_required
@require_http_methods(["GET", "POST"])
def inquiry_thread(request, pk):
    inquiry = get_inquiry_for_exporter(request.user, pk)
    can_reply = inquiry.status in REPLY_OPEN
    form = ReplyForm(request.POST or None)
    if request.method == "POST":
        if not can_reply:
            messages.error(request, _("This inquiry is closed; it takes no more replies."))
            return redirect("portal:inquiry_thread", pk=inquiry.pk)
        if form.is_valid():
            try:
                message_post_by_exporter(inquiry=inquiry, text=form.cleaned_data["text"], actor=request.user)
            except ValidationError as error:
                apply_service_errors(form, error)
            except (DomainError, PermissionDenied) as error:
                messages.error(request, str(getattr(error, "message", error)))
                return redirect("portal:inquiry_thread", pk=inquiry.pk)
            else:
                messages.success(request, _("Your reply is sent. PTI translates it for the buyer."))
                return redirect("portal:inquiry_thread", pk=inquiry.pk)
    return render(
        request,
        "portal/inquiry_thread.html",
        {"inquiry": inquiry, "thread": visible_messages(inquiry), "form": form, "can_reply": can_reply},
    )


portal_urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("inquiries/", inbox, name="inbox"),
    path("inquiries/<int:pk>/", inquiry_thread, name="inquiry_thread"),
]
