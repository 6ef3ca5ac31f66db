from django.core.management.base import BaseCommand

from buyers.services import avatar_checks_due, avatar_checks_sweep


class Command(BaseCommand):
    help = (
        "Submit to WeChat's media check the avatars whose check was never submitted (WeChat was "
        "down) or never answered (Celery beat runs the same sweep every 5 minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many avatars (default 500).")

    def handle(self, *args, limit=500, **options):
        due = avatar_checks_due().count()
        submitted = avatar_checks_sweep(limit=limit)
        self.stdout.write(f"Submitted {submitted} of {due} avatar checks due.")
