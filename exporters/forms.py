"""Portal forms for the company and its people. They check input; services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from exporters.document_checks import DOCUMENT_MAX_BYTES
from exporters.models import Country, Exporter, ExporterDocument
from exporters.services import PROFILE_FIELDS
from pti_bridge.images import CleanImageField


class _CompanyFieldsMixin:
    """Company fields shared by registration and the profile page."""

    def _setup_company_fields(self):
        self.fields["country"].queryset = Country.objects.active()
        self.fields["country"].empty_label = _("Choose your country")
        self.fields["description_en"].label = _("Short description")
        self.fields["description_en"].max_length = 1000
        self.fields["description_en"].widget = forms.Textarea(attrs={"rows": 4, "maxlength": 1000})
        self.fields["description_en"].help_text = _("What you make and sell, in a few sentences (English).")
        self.fields["phone"].widget.attrs.update({"type": "tel", "autocomplete": "tel"})
        self.fields["website"].widget.attrs.update({"placeholder": "https://"})

    def validate_unique(self):
        # Uniqueness is checked with a readable message in clean_name and, for two
        # submissions at once, by the database constraint inside the service.
        pass


class RegistrationForm(_CompanyFieldsMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    first_name = forms.CharField(
        label=_("Your given name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Your family name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("You sign in with it. We send a link to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    class Meta:
        model = Exporter
        fields = ["name", "country", "sector", "address", "phone", "website", "description_en"]
        labels = {"name": _("Company name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_company_fields()
        self.fields["name"].widget.attrs["autocomplete"] = "organization"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Exporter.objects.filter(name__iexact=name).exists():
            raise ValidationError(
                _("A company with this name is already registered. Ask its owner to invite you as a colleague."),
                code="duplicate",
            )
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
            raise ValidationError(
                _("An account with this e-mail address already exists. Sign in, or reset your password."),
                code="duplicate",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(_("The two passwords differ."), code="password_mismatch"))
        elif password1:
            probe = get_user_model()(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                validate_password(password1, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def company_data(self) -> dict:
        return {key: self.cleaned_data[key] for key in self.Meta.fields}


class LoginForm(AuthenticationForm):
    """Sign in by e-mail address (stored, lower-cased, as the username)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is wrong. Check both and try again; the password is case-sensitive."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"] = forms.EmailField(
            label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ProfileForm(_CompanyFieldsMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Exporter
        fields = list(PROFILE_FIELDS)
        labels = {"name": _("Company name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_company_fields()
        self.fields["export_markets"].widget.attrs["placeholder"] = "NZ, AU, JP"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Exporter.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another company already uses this name."), code="duplicate")
        return name


class LogoForm(forms.Form):
    # The image pipeline checks the file is a real JPEG/PNG/WebP within limits and
    # re-encodes it without metadata; a refused file is a form error and is not kept.
    logo = CleanImageField(purpose="logo", label=_("Logo"), help_text=_("A JPEG, PNG or WebP image."))


class InviteForm(forms.Form):
    first_name = forms.CharField(label=_("Given name"), max_length=150)
    last_name = forms.CharField(label=_("Family name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
            raise ValidationError(_("This e-mail address already has an account on PTI Bridge."), code="duplicate")
        return email


class DocumentUploadForm(forms.Form):
    """A verification document from the portal; exporters/document_checks.py judges the file
    (in the service), the browser only names the types and the size limit up front."""

    ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"

    kind = forms.ChoiceField(label=_("Which document"), choices=ExporterDocument.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, or a clear JPEG or PNG photo or scan, at most %(limit)d MB.")
        % {"limit": DOCUMENT_MAX_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "data-max-bytes": DOCUMENT_MAX_BYTES}),
    )
    title = forms.CharField(
        label=_("Title"), required=False, max_length=200, help_text=_("Optional, e.g. the licence number.")
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("If the document has an expiry date."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose…")), *ExporterDocument.Kind.choices]
