"""Benchmark the image pipeline on realistic phone photos it generates.

    .venv/bin/python bench/media_bench.py [--count 5] [--size 4032x3024]

Each photo is 12 MP (4032 x 3024, like a phone's main camera): soft shapes and
gradients with sensor grain, saved as JPEG quality 90 with phone EXIF
(orientation, GPS, make and model). For each one it prints the time to check and
clean the upload, the time to make the six renditions, the peak memory, and the
bytes of the kept original and of each rendition against the uploaded file.
Renditions go to a temporary folder; nothing touches the project's media.
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pti_bridge.settings")

import django  # noqa: E402

django.setup()

from django.core.files.storage import FileSystemStorage  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image, ImageChops, ImageDraw, ImageFilter  # noqa: E402

from pti_bridge import images  # noqa: E402
from pti_bridge import renditions as rendition_maker  # noqa: E402


def phone_photo(width: int, height: int, seed: int) -> bytes:
    """A photo-like JPEG (q90) with phone EXIF: produce on a table, soft light, grain."""
    rng = random.Random(seed)
    across = Image.linear_gradient("L").rotate(90).resize((width, height))
    down = Image.linear_gradient("L").resize((width, height))
    scene = Image.merge("RGB", (across, down, ImageChops.invert(across)))
    draw = ImageDraw.Draw(scene)
    for _ in range(40):  # vanilla pods, coconuts, kava roots...
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(width // 20, width // 4), rng.randrange(height // 20, height // 4)
        colour = tuple(rng.randrange(30, 230) for _ in range(3))
        draw.ellipse((x - w, y - h, x + w, y + h), fill=colour)
    scene = scene.filter(ImageFilter.GaussianBlur(6))
    texture = Image.effect_noise((width // 8, height // 8), 30).resize((width, height), Image.Resampling.BICUBIC)
    scene = ImageChops.add(scene, Image.merge("RGB", (texture,) * 3), scale=1.0, offset=-128)
    grain = Image.effect_noise((width, height), 5).convert("RGB")
    scene = ImageChops.add(scene, grain, scale=1.0, offset=-128)

    exif = Image.Exif()
    exif[0x0112] = rng.choice([1, 6, 8])  # orientation, as a phone held either way writes it
    exif[0x010F], exif[0x0110] = "PhoneMaker", "Model 15 Pro"
    exif[0x8825] = {1: "S", 2: (18.0, 8.0, 30.0), 3: "E", 4: (178.0, 26.0, 30.0)}
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def peak_rss_reset() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def status_mb(field: str) -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--size", default="4032x3024")
    args = parser.parse_args()
    width, height = map(int, args.size.lower().split("x"))

    print(f"Generating {args.count} phone photos, {width} x {height}, JPEG q90 with EXIF ...")
    photos = [phone_photo(width, height, seed) for seed in range(args.count)]

    rows, clean_times, rendition_times, peaks = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        storage = FileSystemStorage(location=folder, base_url="/media/")
        for number, data in enumerate(photos, start=1):
            peak_rss_reset()
            rss_before = status_mb("VmRSS")
            started = time.perf_counter()
            cleaned = images.clean_image(SimpleUploadedFile(f"IMG_{number:04d}.JPG", data))
            cleaned_at = time.perf_counter()
            renditions = rendition_maker.make_renditions(
                cleaned.content, prefix=f"renditions/bench/{number}", storage=storage
            )
            finished = time.perf_counter()
            clean_times.append(cleaned_at - started)
            rendition_times.append(finished - cleaned_at)
            peaks.append(status_mb("VmHWM") - rss_before)
            rows.append((data, cleaned, renditions))

    print()
    print("time per upload (check + clean + re-encode the kept original, then six renditions):")
    for number, (clean_s, rend_s, peak) in enumerate(zip(clean_times, rendition_times, peaks, strict=True), start=1):
        print(
            f"  photo {number}: clean {clean_s * 1000:6.0f} ms  renditions {rend_s * 1000:6.0f} ms  "
            f"total {(clean_s + rend_s) * 1000:6.0f} ms  peak memory +{peak:5.0f} MB"
        )
    totals = [c + r for c, r in zip(clean_times, rendition_times, strict=True)]
    print(
        f"  median total {statistics.median(totals) * 1000:.0f} ms, "
        f"mean {statistics.mean(totals) * 1000:.0f} ms, max {max(totals) * 1000:.0f} ms"
    )

    print()
    print("bytes against the uploaded original:")
    header = f"  {'file':<22}{'size':>10}{'pixels':>13}{'median bytes':>16}{'of upload':>11}{'largest':>13}"
    print(header)
    uploads = [len(data) for data, _c, _r in rows]
    median_upload = statistics.median(uploads)
    print(
        f"  {'uploaded JPEG q90':<22}{'':>10}{f'{width}x{height}':>13}{kb(median_upload):>16}{'100.0%':>11}"
        f"{kb(max(uploads)):>13}"
    )
    kept = [cleaned.content.size for _d, cleaned, _r in rows]
    kept_dims = f"{rows[0][1].width}x{rows[0][1].height}"
    print(
        f"  {'kept original (priv.)':<22}{'':>10}{kept_dims:>13}{kb(statistics.median(kept)):>16}"
        f"{statistics.median(kept) / median_upload:>10.1%}{kb(max(kept)):>13}"
    )
    for size in ("zoom", "detail", "thumb"):
        for fmt in ("webp", "jpeg"):
            sizes = [r[size][fmt]["bytes"] for _d, _c, r in rows]
            entry = rows[0][2][size][fmt]
            dims = f"{entry['width']}x{entry['height']}"
            print(
                f"  {size + ' ' + fmt:<22}{rendition_maker.RENDITION_SIZES[size]:>8}px{dims:>13}"
                f"{kb(statistics.median(sizes)):>16}{statistics.median(sizes) / median_upload:>10.2%}"
                f"{kb(max(sizes)):>13}"
            )
    print()
    print("(sizes are fitted in a square box, never upscaled; an upright portrait photo gives e.g. 180x240 thumbs)")


if __name__ == "__main__":
    main()
