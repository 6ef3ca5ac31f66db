"""CPU instructions per request of API URLs, in-process, counted by valgrind's callgrind.

    apt-get install -y valgrind                                   # once
    .venv/bin/python bench/instructions.py                        # the default URLs, 10,000 products
    .venv/bin/python bench/instructions.py --cache-seconds 300 /api/v1/products/

wrk's requests/s move with whatever else the machine runs; an instruction count does not (the
same code, data and inputs give the same count, give or take a few thousand). It measures only
this process: Django, DRF, the project, psycopg and redis-py on the client side, not PostgreSQL
or Redis themselves. Use it to compare two versions of the code; use api_bench.py for the
whole server.

Runs against the database api_bench.py builds (`pti_bench_<n>`; run that first). Each URL is
called 20 times to warm up (connections, prepared statements, compiled SQL), the loaded
objects are frozen out of the garbage collector as pti_bridge/wsgi.py does in production
(else a full collection landing in the measured window adds millions of instructions), then
the counters are zeroed and `--requests` calls counted.
"""

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DEFAULT_URLS = [
    "/api/v1/products/",
    "/api/v1/products/?category=spices&country=FJ&ordering=-inquiry_count",
    "/api/v1/products/?q=%E9%A6%99%E8%8D%89",
    "/api/v1/products/?q=xiangcao",
    "/bench/bare/9500/",
]


def wait_for(path: Path) -> None:
    while not path.exists():
        time.sleep(0.05)
    path.unlink()


def child(args) -> None:
    """Under valgrind: warm up, then for each URL wait for the parent to zero the counters,
    make the requests, and tell the parent to dump them."""
    sys.path[:0] = [str(BENCH.parent), str(BENCH)]
    import api_bench

    api_bench.setup_django(args.database_url_template.format(n=args.products), args.redis_url)
    from django.core.cache import cache
    from django.test import Client, override_settings

    # One Redis for every size (as api_bench.py): counts cached for another catalogue must not
    # steer this one's pages.
    cache.clear()
    client = Client()
    signals = Path(args.signals)
    with override_settings(API_CACHE_SECONDS=args.cache_seconds):
        for url in args.urls:
            for _ in range(20):
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:200])
        gc.collect()
        gc.freeze()
        for url in args.urls:
            (signals / "ready").touch()
            wait_for(signals / "go")
            for _ in range(args.requests):
                client.get(url)
            (signals / "done").touch()
            wait_for(signals / "go")


def instructions(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SystemExit(f"no totals in {dump}")


def parent(args) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        signals, out = Path(scratch), Path(scratch) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--child",
            "--signals",
            scratch,
            *sys.argv[1:],
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        print(f"{args.products:,} products, API_CACHE_SECONDS={args.cache_seconds}, {args.requests} requests each")
        for url in args.urls:
            while not (signals / "ready").exists():
                if process.poll() is not None:
                    raise SystemExit(process.stderr.read()[-2000:])
                time.sleep(0.2)
            (signals / "ready").unlink()
            subprocess.run(["callgrind_control", "-z", str(process.pid)], check=True, capture_output=True)
            (signals / "go").touch()
            wait_for(signals / "done")
            subprocess.run(["callgrind_control", "-d", str(process.pid)], check=True, capture_output=True)
            dumps = sorted(signals.glob("callgrind.out.*"), key=os.path.getmtime)
            print(f"  {url:75} {instructions(dumps[-1]) / args.requests / 1e6:6.2f} M instructions/request", flush=True)
            for dump in dumps:
                dump.unlink()
            (signals / "go").touch()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("urls", nargs="*", default=DEFAULT_URLS)
    parser.add_argument("--products", type=int, default=10000)
    parser.add_argument("--database-url-template", default="postgres://postgres@127.0.0.1:5432/pti_bench_{n}")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--cache-seconds", type=int, default=0, help="API_CACHE_SECONDS (0: every answer computed)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--signals", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
