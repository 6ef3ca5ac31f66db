from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Category, Product, ProductImage
from catalogue.services import (
    EDITABLE_FIELDS,
    EDITABLE_M2M,
    product_image_delete_files_on_commit,
    product_image_schedule_renditions,
)
from exporters.models import Country
from pti_bridge import images
from pti_bridge.storage import private_storage


class ProductImageForm(forms.ModelForm):
    """A product photo as staff (admin inline) and exporters (portal) add it.

    The upload pipeline (pti_bridge/images.py) checks, cleans and re-encodes the file
    while the form validates: a refused file is a form error and nothing is stored.
    Saving stores the cleaned original (private), then, after commit, makes the
    renditions and deletes the files of a photo this one replaced. If the store is
    down the form says so at validation; should it fail between validation and
    save, `save()` raises StorageUnavailable and the transaction writes no row.
    """

    original = images.CleanImageField(purpose="original", label=_("Photo"))

    class Meta:
        model = ProductImage
        fields = ["original", "alt_text", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"].help_text = images.upload_help_text()
        self._replaced_files = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("original") is not None and "original" in self.changed_data:
            try:
                images.check_storage(private_storage)
            except images.StorageUnavailable as error:
                self.add_error("original", str(error.message))
        return cleaned

    def _new_upload(self) -> bool:
        return "original" in self.changed_data and bool(self.cleaned_data.get("original"))

    def save(self, commit=True):
        if self._new_upload():
            if self.instance.pk:
                # The row, not this instance, knows the renditions a task made meanwhile.
                self._replaced_files = (
                    ProductImage.objects.filter(pk=self.instance.pk).values_list("original", "renditions").first()
                )
            self.instance.renditions = {}
        if not commit:
            return super().save(commit=False)
        try:
            instance = super().save(commit=True)
        except images.STORAGE_ERRORS as error:
            raise images.StorageUnavailable() from error
        return instance

    def _save_m2m(self):
        super()._save_m2m()
        # Runs for save(commit=True) and, with commit=False, when the caller calls save_m2m().
        if self._new_upload() and self.instance.pk:
            if self._replaced_files is not None:
                old_original, old_renditions = self._replaced_files
                if old_original != self.instance.original.name:
                    product_image_delete_files_on_commit(original=old_original, renditions=old_renditions or {})
            product_image_schedule_renditions(self.instance)


class ProductImageInlineFormSet(forms.BaseInlineFormSet):
    """The admin inline's formset: a photo deleted there loses its files too, after commit."""

    def delete_existing(self, obj, commit=True):
        original, renditions = obj.original.name, dict(obj.renditions or {})
        super().delete_existing(obj, commit=commit)
        if commit:
            product_image_delete_files_on_commit(original=original, renditions=renditions)


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
