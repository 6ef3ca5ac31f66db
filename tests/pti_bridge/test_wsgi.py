"""The WSGI entry point loads the whole project up front and freezes it out of the garbage
collector's full passes (pti_bridge/wsgi.py), in a process of its own like a web worker."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, sys
import pti_bridge.wsgi
assert "catalogue.apis" in sys.modules and "pypinyin" in sys.modules, "views not loaded"
print(gc.get_freeze_count())
"""


def test_the_loaded_project_is_kept_out_of_full_collections():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pti_bridge.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    # The project's objects, out of the collector's way (bench/api_bench.py measures the effect).
    assert int(result.stdout) > 100_000
