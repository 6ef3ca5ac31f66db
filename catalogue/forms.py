from django import forms

from catalogue.models import ProductImage


class ProductImageForm(forms.ModelForm):
    """A product photo as staff (admin inline) and exporters (portal) add it.

    The upload pipeline (pti_bridge/images.py) checks, cleans and re-encodes the file.
    """

    class Meta:
        model = ProductImage
        fields = ["original", "alt_text", "position"]
