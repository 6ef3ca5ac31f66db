"""`manage.py load_demo_data`: the demo catalogue, its people and a buyer's inquiries (run by `make run`)."""

import logging
import time

from django.core.management.base import BaseCommand
from django.urls import NoReverseMatch, reverse

from demo import data as demo_data
from demo.loader import load_demo_data
from glossary.seed import load_glossary


class Command(BaseCommand):
    help = "Load the demo catalogue (idempotent: what exists is left alone, only what is missing is created)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set the demo accounts' passwords, authenticator keys and recovery codes back to the printed ones.",
        )

    def handle(self, *args, reset_passwords=False, **options):
        # Photos' renditions run in this process after commit when no queue is configured;
        # one "Task succeeded" line per photo would bury the logins printed below.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        started = time.monotonic()
        created = load_demo_data(reset_passwords=reset_passwords) + load_glossary()
        elapsed = time.monotonic() - started
        if created:
            summary = ", ".join(f"{count} {what}" for what, count in created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s: created {summary}."))
        else:
            self.stdout.write(f"Demo data already loaded; nothing changed ({elapsed:.1f} s).")
        if reset_passwords:
            self.stdout.write("Demo passwords reset.")
        try:
            portal = reverse("portal:login")
        except NoReverseMatch:
            portal = "/portal/"
        rows = [
            (
                "Back office (superuser)",
                "http://127.0.0.1:8000/admin/",
                demo_data.ADMIN["email"],
                demo_data.ADMIN["password"],
            ),
            (
                "Back office (PTI staff)",
                "http://127.0.0.1:8000/admin/",
                demo_data.STAFF["email"],
                demo_data.STAFF["password"],
            ),
            (
                "Exporter portal",
                f"http://127.0.0.1:8000{portal}",
                demo_data.DEMO_EXPORTER_EMAIL,
                demo_data.EXPORTER_PASSWORD,
            ),
        ]
        self.stdout.write("\nDemo logins (fixed demo passwords; never use this data in production):")
        for label, url, email, password in rows:
            self.stdout.write(f"  {label:<24} {url:<40} {email:<28} {password}")
        self.stdout.write(
            "  The back office then asks for a code: add the account's key to an authenticator app"
            " (time-based), or use a recovery code (each works once; --reset-passwords restores them)."
        )
        for email, spec in demo_data.SECOND_FACTOR.items():
            codes = " ".join(spec["recovery_codes"])
            self.stdout.write(f"    {email:<28} key {spec['key']}  recovery codes {codes}")
        self.stdout.write(
            f"  Every demo exporter's owner signs in with password {demo_data.EXPORTER_PASSWORD} "
            "(e.g. sione@vavauvanilla.example)."
        )
        self.stdout.write(
            f"  Demo buyer {demo_data.BUYER['display_name']} ({demo_data.BUYER['company']}): "
            f"WeChat openid {demo_data.BUYER['openid']}."
        )
