"""The portal's account pages: register, confirm, sign in, the company profile, colleagues.

Also the access helpers every portal page uses (`member_required`), so the rule
"an exporter sees only its own company" is written once.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from exporters import services
from exporters.forms import (
    DocumentUploadForm,
    EmailForm,
    InviteForm,
    LoginForm,
    LogoForm,
    ProfileForm,
    RegistrationForm,
)
from exporters.models import Exporter, ExporterMember
from pti_bridge.errors import DomainError


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def member_required(view):
    """Signed-in users of an exporting company only. Sets `request.membership` and
    `request.exporter`. Anonymous visitors go to the sign-in page; signed-in users
    without a company (e.g. PTI staff) get a 403 page that points to the back office."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request)
        membership = ExporterMember.objects.select_related("exporter__country").filter(user=request.user).first()
        if membership is None:
            return render(request, "portal/no_company.html", status=403)
        request.membership = membership
        request.exporter = membership.exporter
        return view(request, *args, **kwargs)

    return wrapper


def redirect_to_login(request):
    from django.contrib.auth.views import redirect_to_login as _redirect

    return _redirect(request.get_full_path())


# Registration and e-mail confirmation


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.exporter_register(
                company=form.company_data(),
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            request.session["registered_email"] = member.user.email
            return redirect("portal:register_done")
    return render(request, "portal/register.html", {"form": form})


def register_done(request):
    return render(request, "portal/register_done.html", {"email": request.session.get("registered_email", "")})


def confirm_email(request, token):
    user = services.user_confirm_email(token=token)
    if user is None:
        return render(request, "portal/confirm_failed.html", {"form": EmailForm()}, status=400)
    messages.success(request, _("Thank you, your e-mail address is confirmed. You can sign in now."))
    return redirect("portal:login")


@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.resend_confirmation(email=form.cleaned_data["email"])
        messages.success(
            request,
            _("If %(email)s is waiting for confirmation, a new link is on its way. Check the spam folder too.")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("portal:login")
    return render(request, "portal/resend_confirmation.html", {"form": form})


# Signing in and out, passwords (Django's views, our templates)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        # The right password on an account awaiting confirmation (pti_bridge.signin.SignInBackend):
        # not a failure, and the newcomer is told what to do.
        user = getattr(self.request, "unconfirmed_user", None)
        if user is not None:
            return render(
                self.request,
                "registration/confirm_first.html",
                {"email": user.email, "days": services.CONFIRM_EMAIL_MAX_AGE.days},
            )
        return super().form_invalid(form)


password_change = auth_views.PasswordChangeView.as_view(
    template_name="registration/portal_password_change.html", success_url=reverse_lazy("portal:password_change_done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="registration/portal_password_change_done.html"
)
password_reset = auth_views.PasswordResetView.as_view(
    template_name="registration/portal_password_reset.html",
    email_template_name="emails/password_reset.txt",
    subject_template_name="emails/password_reset_subject.txt",
    success_url=reverse_lazy("portal:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/portal_password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/portal_password_reset_confirm.html",
    success_url=reverse_lazy("portal:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/portal_password_reset_complete.html"
)


# The company


@member_required
@require_http_methods(["GET", "POST"])
def profile(request):
    exporter = request.exporter
    form = ProfileForm(instance=exporter)
    logo_form = LogoForm()
    if request.method == "POST":
        if "upload_logo" in request.POST:
            logo_form = LogoForm(request.POST, request.FILES)
            if logo_form.is_valid():
                services.exporter_update_profile(
                    exporter=exporter, data={}, actor=request.user, logo=logo_form.cleaned_data["logo"]
                )
                messages.success(request, _("The logo is saved."))
                return redirect("portal:profile")
        else:
            # A fresh copy: a form that fails validation must not alter request.exporter.
            form = ProfileForm(request.POST, instance=Exporter.objects.get(pk=exporter.pk))
            if form.is_valid():
                try:
                    services.exporter_update_profile(exporter=exporter, data=form.cleaned_data, actor=request.user)
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(request, _("Your company profile is saved."))
                    return redirect("portal:profile")
    return render(request, "portal/profile.html", {"form": form, "logo_form": logo_form, "exporter": exporter})


@member_required
@require_http_methods(["GET", "POST"])
def documents(request):
    """The company's verification documents: where each required one stands, every upload with
    its status, and the upload form (owner and colleagues alike). In English whatever the
    browser asks: the documents' kinds and the checks' messages have Chinese for staff."""
    with translation.override("en"):
        return _documents(request)


def _documents(request):
    exporter = request.exporter
    form = DocumentUploadForm(initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = services.document_upload(exporter=exporter, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except DomainError as error:  # too many documents; the store is down
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: “%(document)s” is uploaded. PTI will review it and tell you by e-mail if it needs a new copy."
                    )
                    % {"document": document},
                )
                return redirect("portal:documents")
    return render(
        request,
        "portal/documents.html",
        {
            "form": form,
            "exporter": exporter,
            "checklist": services.document_checklist(exporter),
            "documents": services.documents_of(exporter=exporter, actor=request.user),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def members(request):
    is_owner = request.membership.role == ExporterMember.Role.OWNER
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.member_invite(exporter=request.exporter, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("We sent an invitation to %(email)s.") % {"email": form.cleaned_data["email"]}
                )
                return redirect("portal:members")
    team = list(request.exporter.members.select_related("user").order_by("created_at"))
    for member in team:
        member.is_pending = services.invitation_is_pending(member.user)
        member.is_me = member.user_id == request.user.pk
    return render(request, "portal/members.html", {"form": form, "team": team, "is_owner": is_owner})


def _team_member(request, pk) -> ExporterMember:
    """A person of the signed-in owner's company; 403 for colleagues, 404 for anyone else's."""
    if request.membership.role != ExporterMember.Role.OWNER:
        raise PermissionDenied
    return get_object_or_404(ExporterMember.objects.select_related("user"), pk=pk, exporter=request.exporter)


@member_required
@require_http_methods(["GET", "POST"])
def member_remove(request, pk):
    """Removing someone asks first: a page with the consequences and a confirm button."""
    member = _team_member(request, pk)
    if request.method == "POST":
        name = member.user.get_full_name() or member.user.email
        pending = services.invitation_is_pending(member.user)
        try:
            services.colleague_remove(exporter=request.exporter, member=member, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if pending:
                messages.success(request, _("The invitation to %(name)s is withdrawn.") % {"name": name})
            else:
                messages.success(
                    request, _("%(name)s is removed and can no longer act for your company.") % {"name": name}
                )
        return redirect("portal:members")
    return render(
        request,
        "portal/member_remove.html",
        {"member": member, "pending": services.invitation_is_pending(member.user)},
    )


@member_required
@require_http_methods(["POST"])
def invitation_resend(request, pk):
    member = _team_member(request, pk)
    try:
        services.invitation_resend(exporter=request.exporter, member=member, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("We sent a new invitation to %(email)s. The link in the earlier e-mail no longer works.")
            % {"email": member.user.email},
        )
    return redirect("portal:members")


@require_http_methods(["GET", "POST"])
def accept_invite(request, token):
    from django.contrib.auth.forms import SetPasswordForm

    user = services.user_from_token(token, salt=services.INVITE_SALT, max_age=services.INVITE_MAX_AGE)
    if user is None or user.is_active:
        return render(request, "portal/invite_failed.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.member_accept_invite(user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password is set. Sign in with your e-mail address."))
        return redirect("portal:login")
    return render(request, "portal/accept_invite.html", {"form": form, "invited": user})
