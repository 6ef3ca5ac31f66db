"""Write today's staff digest to the outbox (what Celery beat runs at 09:00 in Beijing).

Safe to run again: a staff member who already has today's digest is not sent another.
"""

from django.core.management.base import BaseCommand

from inquiries import digest


class Command(BaseCommand):
    help = "Send the daily digest of new and overdue inquiries to every active staff user (once a day)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--language", default=digest.DEFAULT_LANGUAGE, choices=["zh-hans", "en"], help="Language of the e-mail."
        )

    def handle(self, *args, language, **options):
        result = digest.send_staff_digest(language=language)
        if result.nothing_to_report:
            self.stdout.write(f"{result.day}: nothing to report; no digest sent.")
            return
        self.stdout.write(
            f"{result.day}: digest queued for {len(result.sent)} recipient(s); "
            f"{len(result.already_sent)} already had today's."
        )
