from django.core.management.base import BaseCommand

from exporters.seed import seed_countries


class Command(BaseCommand):
    help = "Add the Pacific countries that are missing (names and active flags staff changed are kept)."

    def handle(self, *args, **options):
        added = seed_countries()
        self.stdout.write(f"countries: {added} added")
