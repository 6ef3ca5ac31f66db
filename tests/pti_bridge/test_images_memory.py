"""Memory stays bounded while the pipeline reads hostile files and the largest photo it accepts.

Pillow's pixel buffers are allocated in C, out of tracemalloc's sight, so this
measures the peak resident set size of a fresh Python process that runs the
pipeline over files the test writes: for each file, Linux's peak (VmHWM) is reset,
the file is processed, and the growth of the peak over the resident size before
it is that file's cost.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.storage import corpus

ROOT = Path(__file__).resolve().parents[2]

MEASURE = r"""
import json, os, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pti_bridge import images, renditions as rendition_maker

def status_mb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB

def reset_peak():
    # Linux resets the peak (VmHWM) to the current RSS on "5"; ru_maxrss cannot be reset
    # and even carries the parent's peak across fork and exec.
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")

results = {"baseline": status_mb("VmRSS")}
for path in sys.argv[1:]:
    reset_peak()
    before = status_mb("VmRSS")
    with open(path, "rb") as handle:
        data = handle.read()
    upload = SimpleUploadedFile(os.path.basename(path), data)
    del data
    try:
        cleaned = images.clean_image(upload)
        renditions = rendition_maker.make_renditions(cleaned.content, prefix="renditions/memory/test")
        outcome = f"stored {cleaned.width}x{cleaned.height}"
    except ValidationError as error:
        outcome = error.code
    results[os.path.basename(path)] = {"outcome": outcome, "growth_mb": round(status_mb("VmHWM") - before, 1)}
print(json.dumps(results))
"""


def test_peak_memory_stays_bounded_over_the_hostile_corpus_and_a_39_megapixel_photo(tmp_path):
    paths = []
    for name, (_upload_name, build, _code) in sorted(corpus.HOSTILE.items()):
        path = tmp_path / f"hostile-{name}"
        path.write_bytes(build())
        paths.append(path)
    # The largest accepted photo (7200 x 5400 = 38.9 MP), processed last so hostile files are measured first.
    big = tmp_path / "legit-7200x5400.jpg"
    big.write_bytes(corpus.jpeg(corpus.noisy_photo(7200, 5400, grain=10), quality=80))
    assert big.stat().st_size < 15 * 1024 * 1024
    paths.append(big)

    media = tmp_path / "media"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pti_bridge.settings", "MEDIA_ROOT": str(media)}
    completed = subprocess.run(
        [sys.executable, "-c", MEASURE, *map(str, paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    results = json.loads(completed.stdout.strip().splitlines()[-1])
    print(json.dumps(results, indent=1))

    hostile = {name: value for name, value in results.items() if name.startswith("hostile-")}
    assert {name: value["outcome"] for name, value in hostile.items()} == {
        f"hostile-{name}": code for name, (_n, _b, code) in corpus.HOSTILE.items()
    }
    # Refused files are never decoded: the 50,000 x 50,000 PNG alone would need 7.5 GB.
    # Reading a 16 MB upload into memory is the largest cost here.
    for name, value in hostile.items():
        assert value["growth_mb"] < 40, (name, value)
    legit = results["legit-7200x5400.jpg"]
    assert legit["outcome"] == "stored 3000x2250"
    # Decoded whole, 38.9 MP would take 155 MB (Pillow keeps RGB in 4 bytes a pixel) and its
    # resizing as much again; JPEG draft mode decodes it at half scale instead.
    assert legit["growth_mb"] < 120, legit
