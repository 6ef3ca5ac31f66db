"""A stand-in machine-translation service on loopback (never a real one in tests).

It answers POST {"text", "source", "target"} with {"translation": "[MT target] text"} and
keeps what it was asked; `mode` makes it fail ("error": 500), hang past the timeout ("slow")
or answer something that is not a translation ("nonsense"). `machine_translation` is a
fixture: import it into a test module to use it; it points MACHINE_TRANSLATION_URL at it.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's hook name
        server = self.server
        asked = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        server.requests.append(asked)
        if server.mode == "slow":
            time.sleep(server.hang_seconds)
        if server.mode == "error":
            status, body = 500, b'{"error": "down"}'
        elif server.mode == "nonsense":
            status, body = 200, b"[1, 2, 3]"
        else:
            status, body = 200, json.dumps({"translation": f"[MT {asked['target']}] {asked['text']}"}).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (the "slow" mode)

    def log_message(self, *args):
        pass


class MachineTranslationStandin(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode, self.hang_seconds, self.requests = "ok", 2.0, []
        self.url = f"http://127.0.0.1:{self.server_address[1]}/translate"


@pytest.fixture
def machine_translation(settings):
    server = MachineTranslationStandin()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MACHINE_TRANSLATION_URL = server.url
    settings.MACHINE_TRANSLATION_TIMEOUT_SECONDS = 0.5
    yield server
    server.shutdown()
    server.server_close()
