"""A real SMTP server on loopback (aiosmtpd) for tests of what the outbox sends.

`smtp` is a fixture: import it into a test module (or a conftest) to use it.
"""

import threading
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import free_port


class _Inbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.on_message = None  # a test's hook, called (in the server's thread) before "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        if self.on_message is not None:
            self.on_message()
        return "250 OK"


class SMTPServer:
    """A real SMTP server on 127.0.0.1 that a test can take down and bring back on the same port."""

    def __init__(self):
        self.port = free_port()
        self.inbox = _Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the in-process path; no worker runs in these tests
    yield server
    server.stop()
