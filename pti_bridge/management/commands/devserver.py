"""`runserver` (static files included) with room for a burst of phones: what `make run` serves with.

Django's development server queues 10 connections: a few more phones at once were reset, or
waited out TCP's retransmits (seconds, doubling) before they were even read.
"""

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.core.servers.basehttp import WSGIServer


class OfficeWSGIServer(WSGIServer):
    request_queue_size = 128


class Command(RunserverCommand):
    help = "Django's runserver with a longer listen queue (scripts/run_local.py, make run)."
    server_cls = OfficeWSGIServer
