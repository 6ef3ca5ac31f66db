"""Settings for bench/api_bench.py: the project's own settings, plus one bare view to compare with."""

from pti_bridge.settings import *  # noqa: F403

ROOT_URLCONF = "api_bench_urls"
