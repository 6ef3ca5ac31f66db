"""Serve the project locally with the WeChat stand-in beside it (what `make run` calls).

Builds the Mini Program's H5 app first when Node 18+ is here (`npm ci` when node_modules does
not match package-lock.json, `npm run build:h5` when its sources changed since the last build;
one line says so when Node is missing, and everything else is served all the same). Then
starts the stand-in WeChat server on loopback and Django's development server, and prints the
H5 app's address (/m/) once the server answers; stopping one (Ctrl-C) stops both.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts import miniprogram_build  # noqa: E402 - run as a script: the repository is not on the path

# The stand-in's login code for the demo buyer 王经理 (demo/data.py): codes are single-use,
# and a fresh stand-in forgets them, so #1 works on every run and #2, #3 ... after it.
DEMO_BUYER_CODE = "valid-demo-buyer#1"


def sign_in_hint(wechat_port: int) -> str:
    """The line `make run` prints once the stand-in is up: how to sign in as the demo buyer."""
    return (
        f"WeChat stand-in server on http://127.0.0.1:{wechat_port}/: sign in as the demo buyer 王经理 "
        f'with {{"code": "{DEMO_BUYER_CODE}"}} (single-use: then valid-demo-buyer#2, #3 ...; '
        "any other code signs in a new, empty buyer)"
    )


def h5_hint(port: int) -> str:
    """The line `make run` prints once the server is up: where the Mini Program's H5 preview is."""
    return (
        f"Mini Program (H5 preview) on http://127.0.0.1:{port}/m/: signed in as the demo buyer 王经理 "
        "through the WeChat stand-in (open it at a phone's size: the browser's device toolbar)"
    )


def build_h5() -> bool:
    """Install and build the H5 app as needed; False (after one line saying why) when there is none to serve."""
    problem = miniprogram_build.node_problem()
    if problem is not None:
        print(f"{problem}: the Mini Program's H5 preview at /m/ is not built (install Node 20 LTS for it)", flush=True)
        return False
    if not miniprogram_build.modules_match_lock():
        print("Installing the Mini Program's packages (npm ci in miniprogram/, about a minute the first time)...")
    installed = miniprogram_build.install()
    if installed.ran and not installed.ok:
        print(f"{installed.tail()}\nnpm ci failed: the Mini Program's H5 preview at /m/ is not built", flush=True)
        return False
    if not installed.ran and installed.output.startswith("skipped"):
        print(f"npm ci {installed.output}", flush=True)
    if miniprogram_build.is_current("h5"):
        return True
    print("Building the Mini Program's H5 preview (npm run build:h5 in miniprogram/, about 30 s)...", flush=True)
    built = miniprogram_build.build("h5")
    if not built.ok:
        print(f"{built.tail()}\nnpm run build:h5 failed: /m/ serves the previous build, if any", flush=True)
        return (miniprogram_build.output("h5") / "index.html").is_file()
    return True


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60.0) -> bool:
    """Whether `url` answers (any HTTP status) before `process` ends or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.2)
    return False


def _stop_on_sigterm(signum, frame):
    # `kill` (a test harness, a process manager) stops both children too, as Ctrl-C does.
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--wechat-port", type=int, default=8081)
    parser.add_argument("--no-h5", action="store_true", help="do not build the Mini Program's H5 preview")
    args = parser.parse_args()
    h5 = False if args.no_h5 else build_h5()

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
        if h5 and wait_for(f"http://127.0.0.1:{args.port}/m/", server):
            print(h5_hint(args.port), flush=True)
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
