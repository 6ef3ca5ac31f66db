from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Category, Product, ProductImage
from catalogue.services import EDITABLE_FIELDS, EDITABLE_M2M
from exporters.models import Country


class ProductImageForm(forms.ModelForm):
    """A product photo as staff (admin inline) and exporters (portal) add it.

    The upload pipeline (pti_bridge/images.py) checks, cleans and re-encodes the file.
    """

    class Meta:
        model = ProductImage
        fields = ["original", "alt_text", "position"]


class ProductForm(forms.ModelForm):
    """A listing as the exporter writes it in the portal (English only; staff translate).

    The view passes the values to catalogue.services.product_create / product_update,
    which decide whether the edit applies now or waits for review.
    """

    class Meta:
        model = Product
        fields = [*EDITABLE_FIELDS, *EDITABLE_M2M]
        labels = {
            "name_en": _("Product name"),
            "summary_en": _("One-line summary"),
            "description_en": _("Description"),
            "market_access_en": _("China market access"),
            "moq_quantity": _("Minimum order"),
            "moq_unit": _("Unit"),
            "price_min": _("Price from"),
            "price_max": _("Price to"),
            "price_unit": _("Per"),
            "price_currency": _("Currency"),
        }
        help_texts = {
            "summary_en": _("What a buyer reads first, in one sentence. Needed before you submit."),
            "hs_code": _("4 to 10 digits, e.g. 0905.10. Your customs broker knows it."),
            "packaging": _("e.g. 1 kg vacuum bags, 10 bags per carton."),
            "shelf_life": _("e.g. 24 months from packing."),
            "price_min": _("An indication only; buyers ask for a quote."),
        }
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "market_access_en": forms.Textarea(attrs={"rows": 3}),
            "certifications": forms.CheckboxSelectMultiple,
            "moq_quantity": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
            "price_min": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
            "price_max": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
        }

    def __init__(self, *args, exporter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.select_related("parent")
        self.fields["origin_country"].queryset = Country.objects.active()
        if exporter is not None and not self.instance.pk:
            self.fields["origin_country"].initial = exporter.country_id
        self.fields["hs_code"].widget.attrs["inputmode"] = "decimal"

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("“Price to” must not be below “Price from”."))
        if (low is not None or high is not None) and not cleaned.get("price_currency"):
            self.add_error("price_currency", _("Choose the currency of the price."))
        if cleaned.get("moq_quantity") is not None and not cleaned.get("moq_unit"):
            self.add_error("moq_unit", _("Choose the unit of the minimum order."))
        return cleaned

    def validate_unique(self):
        # The services run full_clean(); a reviewed product's edit is not saved here.
        pass


class PhotoDetailsForm(forms.ModelForm):
    """Alt text and order of a photo already uploaded."""

    class Meta:
        model = ProductImage
        fields = ["alt_text", "position"]
        labels = {"alt_text": _("Describe the photo"), "position": _("Order")}
