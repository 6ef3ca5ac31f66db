from django.core.management.base import BaseCommand

from catalogue.models import Product, catalogue_changed
from catalogue.search import refresh_search_columns


class Command(BaseCommand):
    help = "Recompute every product's search keys (after exporters or categories were renamed)."

    def add_arguments(self, parser):
        parser.add_argument("--exporter", type=int, help="Only the products of this exporter id.")

    def handle(self, *args, exporter=None, **options):
        products = Product.objects.all()
        if exporter is not None:
            products = products.filter(exporter_id=exporter)
        count = refresh_search_columns(products)
        catalogue_changed()
        self.stdout.write(f"Refreshed the search keys of {count} products.")
