"""Remake product photos' renditions from their cleaned originals.

Run it after changing the rendition sizes or quality (pti_bridge/images.py), or
with --missing after an outage of the object store left photos without them.
It works in this process, one photo at a time, so memory stays bounded.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalogue.models import ProductImage
from catalogue.services import product_image_remake_renditions
from pti_bridge.images import StorageUnavailable
from pti_bridge.renditions import RENDITION_FORMATS, RENDITION_SIZES


def _complete(image: ProductImage) -> bool:
    renditions = image.renditions or {}
    return all(fmt in renditions.get(size, {}) for size in RENDITION_SIZES for fmt in RENDITION_FORMATS)


class Command(BaseCommand):
    help = "Remake the renditions (thumb, detail, zoom; WebP and JPEG) of every product photo."

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="Only photos lacking some rendition.")
        parser.add_argument(
            "--product", type=int, action="append", default=[], help="Only this product id (repeatable)."
        )

    def handle(self, *args, missing: bool, product: list[int], **options):
        images = ProductImage.objects.exclude(original="").order_by("pk")
        if product:
            images = images.filter(product_id__in=product)
        made = skipped = 0
        failed: list[str] = []
        for image in images.iterator(chunk_size=100):
            if missing and _complete(image):
                skipped += 1
                continue
            try:
                if product_image_remake_renditions(image=image) is None:
                    skipped += 1  # deleted or replaced meanwhile
                    continue
            except (ValidationError, StorageUnavailable) as error:
                message = error.messages[0] if isinstance(error, ValidationError) else str(error.message)
                failed.append(f"photo {image.pk} ({image.original.name}): {message}")
                continue
            made += 1
            if options["verbosity"] >= 2:
                self.stdout.write(f"photo {image.pk}: renditions made")
        self.stdout.write(f"Renditions made for {made} photo(s); {skipped} skipped; {len(failed)} failed.")
        if failed:
            for line in failed:
                self.stderr.write(line)
            raise CommandError(f"{len(failed)} photo(s) could not be processed; see above.")
