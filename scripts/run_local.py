"""Serve the project locally with the WeChat stand-in beside it (what `make run` calls).

Starts the stand-in WeChat server on loopback, then Django's development server;
stopping one (Ctrl-C) stops both.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The stand-in's login code for the demo buyer 王经理 (inquiries/demo_data.py): codes are single-use,
# and a fresh stand-in forgets them, so #1 works on every run and #2, #3 ... after it.
DEMO_BUYER_CODE = "valid-demo-buyer#1"


def sign_in_hint(wechat_port: int) -> str:
    """The line `make run` prints once the stand-in is up: how to sign in as the demo buyer."""
    return (
        f"WeChat stand-in server on http://127.0.0.1:{wechat_port}/: sign in as the demo buyer 王经理 "
        f'with {{"code": "{DEMO_BUYER_CODE}"}} (single-use: then valid-demo-buyer#2, #3 ...; '
        "any other code signs in a new, empty buyer)"
    )


def _stop_on_sigterm(signum, frame):
    # `kill` (a test harness, a process manager) stops both children too, as Ctrl-C does.
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--wechat-port", type=int, default=8081)
    args = parser.parse_args()

    standin = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pti_bridge.wechat.standin",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.wechat_port),
            "--accept-any-code",
        ],
        cwd=ROOT,
    )
    server = None
    try:
        base = f"http://127.0.0.1:{args.wechat_port}/"
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "__fake__/state", timeout=0.5)
                break
            except OSError:
                if standin.poll() is not None:
                    print("The WeChat stand-in server did not start.", file=sys.stderr)
                    return 1
                time.sleep(0.1)
        print(sign_in_hint(args.wechat_port), flush=True)
        env = {**os.environ, "WECHAT_API_BASE_URL": base}
        server = subprocess.Popen(
            [sys.executable, "manage.py", "devserver", f"127.0.0.1:{args.port}"], cwd=ROOT, env=env
        )
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for child in (server, standin):
            if child is not None and child.poll() is None:
                child.terminate()
                child.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
