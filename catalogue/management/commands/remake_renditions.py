"""Remake the renditions of product photos, exporters' logos and collections' covers.

Run it after changing the rendition sizes or quality (pti_bridge/renditions.py), with
--missing after an outage of the object store left images without them, or once after
upgrading to logos and covers with renditions (their rows start with none). It works in
this process, one image at a time, so memory stays bounded.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalogue.models import Collection, ProductImage
from catalogue.services import product_image_remake_renditions
from exporters.models import Exporter
from pti_bridge.images import StorageUnavailable
from pti_bridge.renditions import refresh_renditions, renditions_complete, spec_of


class Command(BaseCommand):
    help = (
        "Remake the renditions (WebP and JPEG) of every product photo (thumb, detail, zoom), "
        "exporter logo (thumb) and collection cover (detail)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="Only images lacking some rendition.")
        parser.add_argument(
            "--product",
            type=int,
            action="append",
            default=[],
            help="Only this product id's photos (repeatable); logos and covers are left alone.",
        )

    def handle(self, *args, missing: bool, product: list[int], **options):
        self.missing, self.verbosity = missing, options["verbosity"]
        photos = ProductImage.objects.exclude(original="").order_by("pk")
        if product:
            photos = photos.filter(product_id__in=product)
        failed = self._remake(
            "photo(s)", [("photo", photos, lambda image: product_image_remake_renditions(image=image))]
        )
        if not product:
            logos = ("logo", Exporter.objects.exclude(logo="").order_by("pk"), refresh_renditions)
            covers = ("cover", Collection.objects.exclude(cover="").order_by("pk"), refresh_renditions)
            failed += self._remake("logo(s) and cover(s)", [logos, covers])
        if failed:
            raise CommandError(f"{failed} image(s) could not be processed; see above.")

    def _remake(self, what: str, groups: list) -> int:
        """Remake each row of each (kind, rows, remake) group; one summary line; the failures."""
        made = skipped = 0
        failed: list[str] = []
        for kind, rows, remake in groups:
            for row in rows.iterator(chunk_size=100):
                if self.missing and renditions_complete(row):
                    skipped += 1
                    continue
                try:
                    if remake(row) is None:
                        skipped += 1  # deleted or replaced meanwhile
                        continue
                except (ValidationError, StorageUnavailable) as error:
                    message = error.messages[0] if isinstance(error, ValidationError) else str(error.message)
                    name = getattr(row, spec_of(type(row)).file_field).name
                    failed.append(f"{kind} {row.pk} ({name}): {message}")
                    continue
                made += 1
                if self.verbosity >= 2:
                    self.stdout.write(f"{kind} {row.pk}: renditions made")
        self.stdout.write(f"Renditions made for {made} {what}; {skipped} skipped; {len(failed)} failed.")
        for line in failed:
            self.stderr.write(line)
        return len(failed)
