"""`manage.py load_glossary`: the glossary's first trade terms (also run by load_demo_data)."""

from django.core.management.base import BaseCommand

from glossary.seed import load_glossary


class Command(BaseCommand):
    help = "Load the glossary's seed terms (idempotent: existing terms are left alone)."

    def handle(self, *args, **options):
        created = load_glossary()["glossary terms"]
        self.stdout.write(f"Glossary: {created} term(s) created.")
