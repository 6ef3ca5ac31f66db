import time

from django.core.management.base import BaseCommand

from pti_bridge import outbox


class Command(BaseCommand):
    help = "Send the outbox's due notifications (e-mail, WeChat). Safe to run beside other dispatchers."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, metavar="SECONDS", help="Keep running, sweeping every SECONDS.")

    def handle(self, *args, loop=None, **options):
        while True:
            counts = outbox.dispatch_due()
            if counts or not loop:
                summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing due"
                self.stdout.write(f"outbox: {summary}")
            if not loop:
                return
            time.sleep(loop)
