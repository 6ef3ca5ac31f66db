"""Hostile and awkward image files, built by the tests themselves (no binary fixtures).

Each builder returns bytes. `HOSTILE` lists what the pipeline must refuse, with the
refusal code; `CLEANABLE` lists what it must store cleaned.
"""

import io
import struct
import zlib

from PIL import Image, ImageChops


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_claiming(width: int, height: int) -> bytes:
    """A ~100-byte PNG whose header claims `width` x `height` RGB pixels (a pixel flood / bomb)."""
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    # A few rows of zeros: a real bomb would be a long run of zeros compressing ~1000:1.
    idat = _png_chunk(b"IDAT", zlib.compress(b"\x00" * (1 + 3 * min(width, 1000)) * 4))
    return b"\x89PNG\r\n\x1a\n" + header + idat + _png_chunk(b"IEND", b"")


def noisy_photo(width: int, height: int, *, grain: float = 24.0) -> Image.Image:
    """A photo-like image: colour gradients with sensor-like grain (compresses like a real photo)."""
    across = Image.linear_gradient("L").rotate(90).resize((width, height))
    down = Image.linear_gradient("L").resize((width, height))
    base = Image.merge("RGB", (across, down, ImageChops.invert(across)))
    noise = Image.effect_noise((width, height), grain).convert("RGB")  # Gaussian around 128
    return ImageChops.add(base, noise, scale=1.0, offset=-128)


def jpeg(image: Image.Image, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **kwargs)
    return buffer.getvalue()


def png(image: Image.Image, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **kwargs)
    return buffer.getvalue()


def two_colour(width: int = 120, height: int = 80) -> Image.Image:
    """Left half red, right half blue: shows which way an image was turned."""
    image = Image.new("RGB", (width, height), (220, 20, 20))
    image.paste((20, 20, 220), (width // 2, 0, width, height))
    return image


GPS_LATITUDE = (18.0, 8.0, 30.5)  # Suva, Fiji


def jpeg_with_gps_and_orientation(orientation: int = 6) -> bytes:
    """A phone-style JPEG: EXIF Orientation=6 (turn 90° clockwise), GPS position, maker and comment."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Secret Phone 15"  # Model
    exif[0x8825] = {1: "S", 2: GPS_LATITUDE, 3: "E", 4: (178.0, 26.0, 30.0)}  # GPS IFD
    return jpeg(two_colour(), exif=exif.tobytes(), comment=b"taken at the secret farm", quality=95)


def png_with_html() -> bytes:
    return png(two_colour()) + b"<html><body><script>alert('owned')</script></body></html>"


def svg() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        b"<script>alert('owned')</script><rect width='100' height='100'/></svg>"
    )


def renamed_executable() -> bytes:
    """A Windows PE header and some code, as if someone renamed setup.exe to photo.jpg."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"This program cannot be run in DOS mode.\r\n"
        + bytes(2000)
    )


def gif_with_frames(frames: int = 10_000) -> bytes:
    """An animated GIF of `frames` 1x1 frames, written by hand (fast, ~170 KB)."""
    header = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    frame = b"\x21\xf9\x04\x00\x01\x00\x00\x00" + b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00"
    return header + loop + frame * frames + b"\x3b"


def animated_png(frames: int = 300) -> bytes:
    images = [Image.new("RGB", (16, 16), (i % 256, (i * 7) % 256, (i * 13) % 256)) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PNG", save_all=True, append_images=images[1:], duration=10)
    return buffer.getvalue()


def animated_webp(frames: int = 50) -> bytes:
    images = [Image.new("RGB", (16, 16), (i * 5 % 256, 0, 0)) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "WEBP", save_all=True, append_images=images[1:], duration=10)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    data = jpeg(noisy_photo(400, 300), quality=90)
    return data[: len(data) // 2]


def huge_file(megabytes: int = 16) -> bytes:
    """A real JPEG padded past the size limit (a phone panorama saved at 100% looks like this)."""
    return jpeg(two_colour()) + bytes(megabytes * 1024 * 1024)


def cmyk_jpeg() -> bytes:
    return jpeg(two_colour().convert("CMYK"))


def palette_png_with_transparency() -> bytes:
    image = Image.new("P", (64, 64), 0)
    image.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    image.paste(1, (16, 16, 48, 48))
    return png(image, transparency=0)


def sixteen_bit_png() -> bytes:
    return png(Image.linear_gradient("L").resize((64, 64)).convert("I;16"))


def rgba_logo() -> bytes:
    image = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    image.paste((30, 120, 60, 255), (100, 100, 700, 500))
    return png(image)


# name -> (uploaded file name, builder, refusal code)
HOSTILE = {
    "png_50000x50000": ("photo.png", lambda: png_claiming(50_000, 50_000), "too_many_pixels"),
    "png_just_over_limit": ("photo.png", lambda: png_claiming(7_000, 6_000), "too_many_pixels"),
    "svg": ("logo.svg", svg, "invalid_image"),
    "svg_renamed_jpg": ("photo.jpg", svg, "invalid_image"),
    "renamed_executable": ("photo.jpg", renamed_executable, "invalid_image"),
    "gif_10000_frames": ("animation.gif", gif_with_frames, "invalid_image"),
    "animated_png_300_frames": ("photo.png", animated_png, "animated_image"),
    "animated_webp": ("photo.webp", animated_webp, "animated_image"),
    "truncated_jpeg": ("photo.jpg", truncated_jpeg, "damaged_image"),
    "huge_file_16mb": ("photo.jpg", huge_file, "file_too_large"),
    "empty": ("photo.jpg", lambda: b"", "empty"),
}

# name -> (uploaded file name, builder)
CLEANABLE = {
    "jpeg_gps_orientation": ("IMG_0001.JPG", jpeg_with_gps_and_orientation),
    "png_with_html": ("photo.png", png_with_html),
    "cmyk_jpeg": ("print.jpg", cmyk_jpeg),
    "palette_png_transparency": ("icon.png", palette_png_with_transparency),
    "sixteen_bit_png": ("scan.png", sixteen_bit_png),
    "rgba_logo": ("logo.png", rgba_logo),
}
