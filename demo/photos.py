"""Product photos and company logos for the demo catalogue, drawn with Pillow.

Nothing is downloaded: each picture is a procedural still life (vanilla pods on a
woven mat, coffee beans on burlap, a jar of coconut oil...) drawn at half size,
scaled up, then given light, a vignette and sensor noise so it reads as a photo
on a phone. The same seed always gives the same picture.
"""

import functools
import io
import math
import random
import zlib
from collections.abc import Callable

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

PHOTO_SIZE = (1200, 900)
W, H = 600, 450  # drawing size; scaled up at the end, which also softens edges like a lens

Color = tuple[int, int, int]


def seed_for(*parts: str) -> int:
    """A stable seed from text (Python's hash() changes between runs)."""
    return zlib.crc32("|".join(parts).encode())


def _mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _vary(rng: random.Random, color: Color, amount: int = 14) -> Color:
    shift = rng.randint(-amount, amount)
    return tuple(max(0, min(255, c + shift + rng.randint(-4, 4))) for c in color)


def _ellipse_poly(cx, cy, rx, ry, angle=0.0, rng=None, wobble=0.0, n=28):
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    points = []
    for i in range(n):
        t = 2 * math.pi * i / n
        k = 1 + (rng.uniform(-wobble, wobble) if rng and wobble else 0)
        x, y = rx * k * math.cos(t), ry * k * math.sin(t)
        points.append((cx + x * cos_a - y * sin_a, cy + x * sin_a + y * cos_a))
    return points


def _pod_poly(x0, y0, x1, y1, width, bend=0.0, rng=None, wobble=0.0, n=24):
    """An elongated shape along a gently bent line, tapered at both ends (pods, roots, loins)."""
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1
    nx, ny = -dy / length, dx / length
    mx, my = (x0 + x1) / 2 + nx * bend, (y0 + y1) / 2 + ny * bend
    side_a, side_b = [], []
    for i in range(n + 1):
        t = i / n
        cx = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * mx + t**2 * x1
        cy = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * my + t**2 * y1
        half = width / 2 * (math.sin(math.pi * t) ** 0.55) * (1 + (rng.uniform(-wobble, wobble) if rng else 0))
        side_a.append((cx + nx * half, cy + ny * half))
        side_b.append((cx - nx * half, cy - ny * half))
    return side_a + side_b[::-1]


def _scaled(points, factor, shift):
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    return [(cx + (x - cx) * factor + shift[0], cy + (y - cy) * factor + shift[1]) for x, y in points]


class _Scene:
    """Objects drawn in layers: soft shadows, a body, and a blurred highlight kept inside the body."""

    def __init__(self, background: Image.Image):
        self.image = background
        self._fresh()

    def _fresh(self):
        self.shadow = Image.new("L", (W, H), 0)
        self.body = Image.new("RGBA", (W, H), (0, 0, 0, 0))
        self.light = Image.new("RGBA", (W, H), (0, 0, 0, 0))
        self._shadow_draw = ImageDraw.Draw(self.shadow)
        self._body_draw = ImageDraw.Draw(self.body)
        self._light_draw = ImageDraw.Draw(self.light)

    def _cast(self, bbox, strength=150):
        x0, y0, x1, y1 = bbox
        drop = (y1 - y0) * 0.12 + 3
        self._shadow_draw.ellipse((x0 + 4, y1 - drop, x1 + 10, y1 + drop), fill=strength)

    def poly(self, points, color: Color, *, shine: float = 0.35, outline=True, shadow=True, alpha=255):
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        if shadow:
            self._shadow_draw.polygon([(x + 5, y + 6) for x, y in points], fill=120)
        self._body_draw.polygon(points, fill=(*color, alpha), outline=_mix(color, (0, 0, 0), 0.35) if outline else None)
        if shine:
            size = max(max(xs) - min(xs), max(ys) - min(ys))
            highlight = _scaled(points, 0.55, (-size * 0.08, -size * 0.1))
            self._light_draw.polygon(highlight, fill=(*_mix(color, (255, 255, 255), shine), 255))

    def ellipse(self, box, color: Color, *, shine: float = 0.35, shadow=True, alpha=255):
        x0, y0, x1, y1 = box
        self.poly(
            _ellipse_poly((x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2),
            color,
            shine=shine,
            shadow=shadow,
            alpha=alpha,
        )

    def rect(self, box, color: Color, *, radius=6, shine: float = 0.3, shadow=True, alpha=255):
        x0, y0, x1, y1 = box
        if shadow:
            self._cast(box)
        self._body_draw.rounded_rectangle(box, radius=radius, fill=(*color, alpha), outline=_mix(color, (0, 0, 0), 0.3))
        if shine:
            strip = (x0 + (x1 - x0) * 0.14, y0 + 4, x0 + (x1 - x0) * 0.3, y1 - 4)
            self._light_draw.rounded_rectangle(strip, radius=radius, fill=(*_mix(color, (255, 255, 255), shine), 255))

    def line(self, points, color: Color, width=2):
        self._body_draw.line(points, fill=(*color, 255), width=width, joint="curve")

    def flush(self):
        """Composite what was drawn so far onto the picture (later objects sit on top)."""
        if self.body.getchannel("A").getbbox() is None and self.shadow.getbbox() is None:
            return
        dark = Image.new("RGB", (W, H), (20, 14, 10))
        self.image = Image.composite(dark, self.image, _soft(self.shadow, 7).point(lambda v: v * 0.55))
        light = _soft(self.light, 5)
        light.putalpha(ImageChops.multiply(light.getchannel("A"), self.body.getchannel("A")).point(lambda v: v * 0.7))
        body = Image.alpha_composite(self.body, light)
        self.image = Image.alpha_composite(self.image.convert("RGBA"), body).convert("RGB")
        self._fresh()


def _soft(layer: Image.Image, radius: float) -> Image.Image:
    """A wide blur, cheaply: blur a quarter-size copy and scale it back (shadows and sheen are soft anyway)."""
    small = layer.resize((W // 4, H // 4), Image.Resampling.BOX).filter(ImageFilter.BoxBlur(radius / 4))
    return small.resize((W, H), Image.Resampling.BILINEAR)


@functools.cache
def _linear_mask() -> Image.Image:
    return Image.linear_gradient("L").resize((W, H))


@functools.cache
def _radial_mask() -> Image.Image:
    return Image.radial_gradient("L").resize((W * 2, H * 2))


# Surfaces the objects sit on.


def _gradient(top: Color, bottom: Color) -> Image.Image:
    return Image.composite(Image.new("RGB", (W, H), bottom), Image.new("RGB", (W, H), top), _linear_mask())


def _wood(rng, base=(150, 100, 62)) -> Image.Image:
    image = _gradient(_mix(base, (255, 255, 255), 0.12), _mix(base, (0, 0, 0), 0.2))
    draw = ImageDraw.Draw(image)
    for _ in range(70):
        y = rng.uniform(0, H)
        amp, freq, phase = rng.uniform(1, 5), rng.uniform(0.005, 0.02), rng.uniform(0, 6)
        points = [(x, y + amp * math.sin(x * freq + phase)) for x in range(0, W + 10, 10)]
        draw.line(
            points, fill=_vary(rng, _mix(base, (40, 25, 15), rng.uniform(0.1, 0.4)), 6), width=rng.choice((1, 1, 2))
        )
    for i in range(1, 4):  # planks
        y = H * i / 4 + rng.uniform(-10, 10)
        draw.line([(0, y), (W, y)], fill=_mix(base, (0, 0, 0), 0.5), width=2)
    return image


def _linen(rng, base=(222, 212, 192)) -> Image.Image:
    image = _gradient(_mix(base, (255, 255, 255), 0.25), _mix(base, (0, 0, 0), 0.08))
    draw = ImageDraw.Draw(image)
    for x in range(0, W, 3):
        draw.line([(x, 0), (x, H)], fill=_vary(rng, base, 10))
    image = Image.blend(image, _gradient(_mix(base, (255, 255, 255), 0.25), _mix(base, (0, 0, 0), 0.08)), 0.6)
    return image


def _burlap(rng) -> Image.Image:
    base = (176, 142, 96)
    image = Image.new("RGB", (W, H), base)
    draw = ImageDraw.Draw(image)
    for x in range(0, W, 4):
        draw.line([(x, 0), (x, H)], fill=_vary(rng, base, 16), width=2)
    for y in range(0, H, 4):
        draw.line([(0, y), (W, y)], fill=_vary(rng, _mix(base, (90, 70, 40), 0.3), 12), width=1)
    return image


def _ice(rng) -> Image.Image:
    image = _gradient((214, 230, 238), (170, 196, 212))
    draw = ImageDraw.Draw(image)
    for _ in range(160):
        x, y, r = rng.uniform(0, W), rng.uniform(0, H), rng.uniform(6, 22)
        draw.ellipse(
            (x - r, y - r * 0.8, x + r, y + r * 0.8), fill=_vary(rng, (232, 242, 248), 8), outline=(180, 204, 218)
        )
    return image.filter(ImageFilter.GaussianBlur(1.2))


def _slate(rng) -> Image.Image:
    image = _gradient((70, 72, 76), (38, 40, 44))
    draw = ImageDraw.Draw(image)
    for _ in range(50):
        y = rng.uniform(0, H)
        draw.line([(0, y), (W, y + rng.uniform(-30, 30))], fill=_vary(rng, (60, 62, 66), 8), width=1)
    return image


def _studio(rng, wall=(236, 230, 218), table=(205, 186, 160)) -> Image.Image:
    image = _gradient(wall, _mix(wall, (0, 0, 0), 0.12))
    horizon = int(H * rng.uniform(0.45, 0.55))
    image.paste(_gradient(table, _mix(table, (0, 0, 0), 0.25)).resize((W, H - horizon)), (0, horizon))
    return image


def _weave(rng, light=(214, 184, 126), dark=(170, 132, 80), strip=18) -> Image.Image:
    """Pandanus weaving: strips passing over and under, on the diagonal."""
    tile = Image.new("RGB", (W * 2, H * 2), dark)
    draw = ImageDraw.Draw(tile)
    for row in range(0, H * 2, strip):
        for col in range(0, W * 2, strip):
            over = ((row // strip) + (col // strip)) % 2 == 0
            color = _vary(rng, light if over else dark, 10)
            draw.rectangle((col + 1, row + 1, col + strip - 2, row + strip - 2), fill=color)
            if over:
                draw.line([(col + 3, row + 3), (col + strip - 4, row + 3)], fill=_mix(color, (255, 255, 255), 0.3))
            else:
                draw.line([(col + 3, row + 3), (col + 3, row + strip - 4)], fill=_mix(color, (0, 0, 0), 0.25))
    rotated = tile.rotate(rng.choice((30, 45, 60)), resample=Image.Resampling.BICUBIC)
    return rotated.crop((W // 2, H // 2, W // 2 + W, H // 2 + H))


def _leaf(rng) -> Image.Image:
    image = _gradient((72, 128, 58), (38, 86, 36))
    draw = ImageDraw.Draw(image)
    midrib = H * rng.uniform(0.3, 0.7)
    draw.line([(0, midrib), (W, midrib - 30)], fill=(150, 190, 110), width=5)
    for x in range(-200, W + 200, 14):
        draw.line([(x, midrib - x * 0.05), (x + 160, 0)], fill=(60, 112, 50), width=2)
        draw.line([(x, midrib - x * 0.05), (x + 160, H)], fill=(60, 112, 50), width=2)
    return image


# Objects.


def _beans(scene, rng, color, count, size, *, crease=True, area=(0, 0, W, H), shine=0.35):
    x0, y0, x1, y1 = area
    beans = sorted(
        ((rng.uniform(x0, x1), rng.uniform(y0, y1), rng.uniform(0, math.pi)) for _ in range(count)), key=lambda b: b[1]
    )
    for x, y, angle in beans:
        rx, ry = size * rng.uniform(0.9, 1.1), size * 0.68 * rng.uniform(0.9, 1.1)
        tone = _vary(rng, color, 16)
        scene.poly(_ellipse_poly(x, y, rx, ry, angle), tone, shine=shine)
        if crease:
            dx, dy = math.cos(angle) * rx * 0.75, math.sin(angle) * rx * 0.75
            bend = ry * 0.15
            scene.line(
                [(x - dx, y - dy), (x + bend * math.sin(angle), y - bend * math.cos(angle)), (x + dx, y + dy)],
                _mix(tone, (0, 0, 0), 0.55),
                width=2,
            )


def _pods(
    scene,
    rng,
    color,
    count,
    *,
    length=(280, 380),
    width=(14, 20),
    area=(60, 60, W - 60, H - 60),
    angle=None,
    wobble=0.05,
    shine=0.35,
    bend=30,
):
    x0, y0, x1, y1 = area
    base_angle = rng.uniform(-0.5, 0.5) if angle is None else angle
    for _ in range(count):
        cx, cy = rng.uniform(x0 + 60, x1 - 60), rng.uniform(y0, y1)
        a = base_angle + rng.uniform(-0.18, 0.18)
        half = rng.uniform(*length) / 2
        dx, dy = math.cos(a) * half, math.sin(a) * half
        scene.poly(
            _pod_poly(cx - dx, cy - dy, cx + dx, cy + dy, rng.uniform(*width), rng.uniform(-bend, bend), rng, wobble),
            _vary(rng, color, 12),
            shine=shine,
        )


def _roots(scene, rng, color, count, *, thickness=(22, 40), area=(80, 120, W - 80, H - 50), knobbly=0.18):
    x0, y0, x1, y1 = area
    for _ in range(count):
        cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        a = rng.uniform(0, math.pi)
        half = rng.uniform(50, 110)
        w = rng.uniform(*thickness)
        tone = _vary(rng, color, 14)
        dx, dy = math.cos(a) * half, math.sin(a) * half
        scene.poly(_pod_poly(cx - dx, cy - dy, cx + dx, cy + dy, w, rng.uniform(-20, 20), rng, knobbly), tone)
        for _ in range(rng.randint(1, 3)):  # side knobs
            t = rng.uniform(-0.6, 0.6)
            bx, by = cx + dx * t, cy + dy * t
            ba = a + rng.choice((-1, 1)) * rng.uniform(0.7, 1.3)
            bl = rng.uniform(25, 55)
            scene.poly(
                _pod_poly(bx, by, bx + math.cos(ba) * bl, by + math.sin(ba) * bl, w * 0.7, 4, rng, knobbly), tone
            )
        for _ in range(3):  # rings on the skin
            t = rng.uniform(-0.7, 0.7)
            rx, ry = cx + dx * t, cy + dy * t
            nx, ny = -math.sin(a) * w * 0.4, math.cos(a) * w * 0.4
            scene.line([(rx - nx, ry - ny), (rx + nx, ry + ny)], _mix(tone, (0, 0, 0), 0.35), 1)


def _bowl(scene, rng, box, color, contents: Color | None):
    """A round wooden bowl seen from above the rim (a kava tanoa, a spice bowl)."""
    x0, y0, x1, y1 = box
    rim = (y1 - y0) * 0.28
    scene.poly(
        _ellipse_poly((x0 + x1) / 2, y0 + rim + (y1 - y0 - rim) / 2, (x1 - x0) / 2, (y1 - y0 - rim) / 1.6),
        color,
        shine=0.18,
    )
    scene.flush()
    scene.ellipse((x0, y0, x1, y0 + rim * 2), _mix(color, (255, 255, 255), 0.12), shine=0, shadow=False)
    scene.ellipse((x0 + 8, y0 + 5, x1 - 8, y0 + rim * 2 - 4), _mix(color, (0, 0, 0), 0.45), shine=0, shadow=False)
    if contents:
        scene.poly(
            _ellipse_poly((x0 + x1) / 2, y0 + rim * 1.05, (x1 - x0) / 2 - 16, rim * 0.86, rng=rng, wobble=0.02),
            contents,
            shine=0.15,
            shadow=False,
        )
        for _ in range(40):  # grain of the powder
            x, y = rng.uniform(x0 + 40, x1 - 40), rng.uniform(y0 + rim * 0.5, y0 + rim * 1.6)
            scene.line([(x, y), (x + 2, y)], _mix(contents, (0, 0, 0), 0.2), 1)


def _pile(scene, rng, cx, cy, radius, color):
    scene.poly(
        _ellipse_poly(cx, cy, radius, radius * 0.45, rng=rng, wobble=0.06), _mix(color, (0, 0, 0), 0.1), shine=0.1
    )
    scene.poly(
        _ellipse_poly(cx, cy - radius * 0.12, radius * 0.7, radius * 0.35, rng=rng, wobble=0.08),
        color,
        shine=0.3,
        shadow=False,
    )


def _jar(scene, rng, box, contents: Color, lid: Color, label: Color | None = (245, 240, 228), glass=True):
    x0, y0, x1, y1 = box
    lid_h = (y1 - y0) * 0.16
    scene.rect((x0, y0 + lid_h, x1, y1), contents, radius=14, shine=0.45 if glass else 0.25)
    scene.rect((x0 + 4, y0, x1 - 4, y0 + lid_h + 4), lid, radius=5, shine=0.35, shadow=False)
    for y in range(int(y0 + 4), int(y0 + lid_h), 5):
        scene.line([(x0 + 6, y), (x1 - 6, y)], _mix(lid, (0, 0, 0), 0.25), 1)
    if label:
        ly = y0 + (y1 - y0) * 0.42
        scene.rect((x0 + 2, ly, x1 - 2, ly + (y1 - y0) * 0.3), label, radius=2, shine=0, shadow=False)
        scene.line([(x0 + 16, ly + 14), (x1 - 16, ly + 14)], _mix(label, (0, 0, 0), 0.6), 3)
        scene.line([(x0 + 24, ly + 28), (x1 - 24, ly + 28)], _mix(label, (0, 0, 0), 0.4), 2)


def _bottle(scene, rng, cx, bottom, height, width, liquid: Color, cap: Color, label: Color | None, alpha=255):
    neck_w, shoulder = width * 0.36, height * 0.38
    body = (cx - width / 2, bottom - height + shoulder, cx + width / 2, bottom)
    scene.rect(body, liquid, radius=int(width * 0.18), shine=0.45, alpha=alpha)
    neck = [
        (cx - width / 2 + 2, bottom - height + shoulder + 10),
        (cx - neck_w / 2, bottom - height + shoulder * 0.45),
        (cx - neck_w / 2, bottom - height + 14),
        (cx + neck_w / 2, bottom - height + 14),
        (cx + neck_w / 2, bottom - height + shoulder * 0.45),
        (cx + width / 2 - 2, bottom - height + shoulder + 10),
    ]
    scene.poly(neck, liquid, shine=0.4, shadow=False, alpha=alpha)
    scene.rect(
        (cx - neck_w / 2 - 2, bottom - height, cx + neck_w / 2 + 2, bottom - height + 18),
        cap,
        radius=3,
        shine=0.3,
        shadow=False,
    )
    if label:
        top = bottom - height * 0.52
        scene.rect(
            (cx - width / 2 + 1, top, cx + width / 2 - 1, top + height * 0.26), label, radius=2, shine=0, shadow=False
        )
        scene.line([(cx - width / 3, top + 16), (cx + width / 3, top + 16)], _mix(label, (0, 0, 0), 0.6), 3)


def _coconut_half(scene, rng, cx, cy, r):
    scene.ellipse((cx - r, cy - r * 0.7, cx + r, cy + r * 0.7), (92, 58, 34), shine=0.2)
    scene.ellipse((cx - r * 0.86, cy - r * 0.6, cx + r * 0.86, cy + r * 0.5), (246, 242, 232), shine=0.15, shadow=False)
    scene.ellipse((cx - r * 0.6, cy - r * 0.42, cx + r * 0.6, cy + r * 0.3), (236, 232, 222), shine=0.1, shadow=False)


def _bumpy_fruit(scene, rng, cx, cy, r, color):
    scene.poly(_ellipse_poly(cx, cy, r, r * 0.75, rng.uniform(0, 3), rng, 0.06), color, shine=0.35)
    for _ in range(int(r * 1.2)):
        a, d = rng.uniform(0, 6.3), rng.uniform(0, 0.8)
        x, y = cx + math.cos(a) * r * d, cy + math.sin(a) * r * 0.75 * d
        scene.line([(x, y), (x + 1.5, y + 1.5)], _mix(color, (60, 50, 20), 0.6), 2)


def _fish(scene, rng, cx, cy, length, yellowfin=True):
    half = length / 2
    back = _pod_poly(cx - half, cy, cx + half * 0.8, cy, length * 0.26, -6, rng, 0.0)
    scene.poly(back, (60, 78, 104), shine=0.3)
    belly = _pod_poly(cx - half * 0.9, cy + length * 0.04, cx + half * 0.7, cy + length * 0.04, length * 0.15, 4)
    scene.poly(belly, (196, 204, 212), shine=0.5, shadow=False)
    tail_x = cx + half * 0.78
    scene.poly(
        [
            (tail_x, cy),
            (tail_x + length * 0.16, cy - length * 0.14),
            (tail_x + length * 0.1, cy),
            (tail_x + length * 0.16, cy + length * 0.14),
        ],
        (52, 66, 90),
        shine=0.2,
    )
    fin = (222, 186, 40) if yellowfin else (70, 84, 110)
    # Dorsal and anal fins swept back (long and yellow on a yellowfin), a dark pectoral fin, finlets.
    sweep = 0.3 if yellowfin else 0.14
    for sign, top in ((-1, 0.1), (1, 0.06)):
        scene.poly(
            [
                (cx + half * 0.05, cy + sign * length * top),
                (cx + half * (0.25 + sweep), cy + sign * length * (top + sweep * 0.45)),
                (cx + half * 0.28, cy + sign * length * (top - 0.01)),
            ],
            fin,
            shine=0.2,
            shadow=False,
        )
    scene.poly(
        _pod_poly(cx - half * 0.5, cy, cx - half * 0.1, cy + length * 0.03, length * 0.028, 0),
        (74, 90, 116),
        shine=0.2,
        shadow=False,
    )
    for i in range(6):
        fx = cx + half * (0.35 + i * 0.07)
        scene.poly(
            [(fx, cy - length * 0.08), (fx + 5, cy - length * 0.11), (fx + 9, cy - length * 0.07)],
            fin,
            shine=0,
            shadow=False,
        )
    scene.ellipse((cx - half * 0.82, cy - 8, cx - half * 0.72, cy + 2), (20, 20, 24), shine=0.6, shadow=False)


def _hexes(scene, rng, area, size, color):
    x0, y0, x1, y1 = area
    dx, dy = size * 1.75, size * 1.5
    row = 0
    y = y0
    while y < y1:
        x = x0 + (dx / 2 if row % 2 else 0)
        while x < x1:
            cell = [
                (x + size * math.cos(math.pi / 3 * k + math.pi / 6), y + size * math.sin(math.pi / 3 * k + math.pi / 6))
                for k in range(6)
            ]
            scene.poly(cell, _vary(rng, color, 18), shine=0.45, shadow=False)
            x += dx
        y += dy
        row += 1


# Compositions: one per kind of product.


def _vanilla(rng):
    scene = _Scene(_weave(rng) if rng.random() < 0.6 else _wood(rng, (120, 84, 52)))
    _pods(
        scene, rng, (58, 36, 24), rng.randint(7, 11), length=(300, 420), width=(13, 18), area=(40, 100, W - 40, H - 100)
    )
    scene.flush()
    if rng.random() < 0.5:
        y = H * rng.uniform(0.4, 0.6)
        scene.line([(W * 0.45, y - 60), (W * 0.48, y + 60)], (214, 190, 140), 5)
    return scene


def _vanilla_powder(rng):
    scene = _Scene(_wood(rng, (170, 128, 90)))
    _bowl(scene, rng, (150, 150, 450, 330), (120, 78, 48), (64, 44, 32))
    _pods(scene, rng, (58, 36, 24), 3, length=(240, 300), width=(12, 15), area=(40, 340, W - 40, 420), angle=0.05)
    return scene


def _kava_root(rng):
    scene = _Scene(_linen(rng, (214, 200, 170)))
    _roots(scene, rng, (172, 144, 104), rng.randint(5, 8), thickness=(24, 44), knobbly=0.22)
    scene.flush()
    _beans(scene, rng, (190, 166, 124), 14, 16, crease=False, area=(60, 330, W - 60, 420))
    return scene


def _kava_powder(rng):
    scene = _Scene(_weave(rng, (200, 168, 112), (150, 114, 70)))
    _bowl(scene, rng, (120, 130, 480, 360), (112, 70, 40), (188, 170, 130))
    return scene


def _coconut_oil(rng):
    scene = _Scene(_studio(rng, (238, 234, 226), (196, 168, 128)))
    _jar(scene, rng, (230, 120, 370, 380), (242, 238, 222), (150, 110, 60))
    if rng.random() < 0.6:
        _jar(scene, rng, (390, 210, 480, 380), (240, 236, 218), (150, 110, 60), label=None)
    scene.flush()
    _coconut_half(scene, rng, 140, 360, 70)
    _coconut_half(scene, rng, 510, 395, 50)
    return scene


def _coconut_water(rng):
    scene = _Scene(_leaf(rng) if rng.random() < 0.5 else _studio(rng, (226, 238, 230), (190, 200, 180)))
    scene.ellipse((90, 170, 300, 390), (96, 140, 50), shine=0.35)
    scene.ellipse((140, 175, 250, 225), (238, 236, 214), shine=0.2, shadow=False)
    scene.line([(200, 200), (240, 90)], (230, 80, 70), 7)
    scene.flush()
    for i, x in enumerate((360, 440)):
        _bottle(scene, rng, x + i * 10, 400, 230, 70, (214, 226, 220), (60, 140, 80), (250, 250, 246), alpha=230)
    return scene


def _noni(rng):
    scene = _Scene(_studio(rng, (232, 226, 210), (150, 112, 80)))
    _bottle(scene, rng, 360, 400, 300, 96, (86, 44, 24), (30, 30, 30), (238, 226, 180))
    if rng.random() < 0.6:
        _bottle(scene, rng, 470, 405, 220, 72, (86, 44, 24), (30, 30, 30), (238, 226, 180))
    scene.flush()
    for cx, cy, r in ((150, 370, 58), (240, 395, 46)):
        _bumpy_fruit(scene, rng, cx, cy, r, (198, 200, 120))
    return scene


def _noni_fruit(rng):
    scene = _Scene(_leaf(rng))
    for _ in range(rng.randint(4, 6)):
        _bumpy_fruit(
            scene, rng, rng.uniform(120, 480), rng.uniform(130, 340), rng.uniform(55, 80), _vary(rng, (210, 208, 140))
        )
    return scene


def _coffee_green(rng):
    scene = _Scene(_burlap(rng))
    _beans(scene, rng, (154, 160, 118), 260, 15, area=(-10, -10, W + 10, H + 10), shine=0.25)
    return scene


def _coffee_roasted(rng):
    scene = _Scene(_wood(rng, (120, 86, 60)))
    _beans(scene, rng, (74, 44, 28), 200, 15, area=(-10, 120, W + 10, H + 10), shine=0.45)
    scene.flush()
    if rng.random() < 0.7:
        scene.ellipse((380, 40, 560, 150), (246, 244, 240), shine=0.2)
        scene.ellipse((398, 52, 542, 130), (60, 34, 20), shine=0.25, shadow=False)
    return scene


def _cocoa_pod(rng):
    scene = _Scene(_leaf(rng) if rng.random() < 0.4 else _wood(rng))
    for cx, cy, color in ((200, 200, (214, 140, 40)), (390, 280, (150, 48, 40))):
        a = rng.uniform(-0.35, 0.35)
        dx, dy = math.cos(a) * 160, math.sin(a) * 160
        bend = rng.uniform(-12, 12)
        tone = _vary(rng, color)
        scene.poly(_pod_poly(cx - dx, cy - dy, cx + dx, cy + dy, 130, bend, rng, 0.02), tone, shine=0.25)
        for width in (100, 60, 20):  # the furrows along the pod
            ridge = _pod_poly(cx - dx, cy - dy, cx + dx, cy + dy, width, bend)[:25]
            scene.line(ridge, _mix(tone, (0, 0, 0), 0.3), 2)
    scene.flush()
    _beans(scene, rng, (236, 226, 206), 12, 16, crease=False, area=(120, 370, 480, 425), shine=0.3)
    return scene


def _cocoa_beans(rng):
    scene = _Scene(_burlap(rng) if rng.random() < 0.5 else _wood(rng))
    _beans(scene, rng, (118, 66, 50), 110, 22, area=(-10, -10, W + 10, H + 10), shine=0.3)
    return scene


def _chocolate(rng):
    scene = _Scene(_slate(rng))
    x0, y0, x1, y1 = 120, 110, 470, 360
    scene.rect((x0, y0, x1, y1), (70, 40, 28), radius=6, shine=0.15)
    scene.flush()
    cols, rows = 5, 4
    for i in range(cols):
        for j in range(rows):
            cx0 = x0 + 10 + i * (x1 - x0 - 20) / cols
            cy0 = y0 + 10 + j * (y1 - y0 - 20) / rows
            scene.rect(
                (cx0 + 4, cy0 + 4, cx0 + (x1 - x0 - 20) / cols - 4, cy0 + (y1 - y0 - 20) / rows - 4),
                (88, 52, 36),
                radius=4,
                shine=0.3,
                shadow=False,
            )
    scene.poly([(380, 90), (540, 70), (560, 300), (455, 380)], (198, 200, 206), shine=0.5)
    scene.flush()
    _beans(scene, rng, (118, 66, 50), 7, 20, area=(60, 370, 300, 430))
    return scene


def _honey(rng):
    scene = _Scene(_studio(rng, (240, 230, 206), (168, 120, 70)))
    _jar(scene, rng, (200, 110, 380, 390), (214, 138, 30), (70, 50, 30))
    scene.flush()
    scene.poly(_pod_poly(370, 420, 560, 300, 16, 0), (176, 132, 84), shine=0.3)
    scene.ellipse((380, 380, 440, 430), (170, 124, 74), shine=0.3)
    return scene


def _honeycomb(rng):
    scene = _Scene(_wood(rng, (160, 120, 80)))
    _hexes(scene, rng, (60, 60, W - 40, H - 40), 20, (224, 160, 40))
    return scene


def _tuna_whole(rng):
    scene = _Scene(_ice(rng))
    for i in range(rng.randint(1, 2)):
        _fish(scene, rng, 300 + rng.uniform(-30, 30), 190 + i * 140, rng.uniform(420, 480))
    return scene


def _tuna_skipjack(rng):
    scene = _Scene(_ice(rng))
    for i in range(3):
        _fish(scene, rng, 300 + rng.uniform(-40, 40), 110 + i * 120, rng.uniform(300, 360), yellowfin=False)
        scene.flush()
    return scene


def _tuna_loin(rng):
    scene = _Scene(_ice(rng) if rng.random() < 0.5 else _slate(rng))
    for i in range(rng.randint(3, 4)):
        y = 120 + i * 85
        points = _pod_poly(90, y, 520, y + rng.uniform(-20, 20), rng.uniform(60, 78), rng.uniform(-10, 10), rng, 0.02)
        scene.poly(points, _vary(rng, (168, 40, 46), 10), shine=0.3)
        for k in range(5):
            x = 150 + k * 75
            scene.line([(x, y - 22), (x + 22, y + 20)], (206, 120, 120), 2)
        scene.flush()
    return scene


def _tuna_can(rng):
    scene = _Scene(_studio(rng, (226, 232, 236), (120, 140, 160)))
    for cx, cy in ((200, 300), (360, 320), (280, 200)):
        scene.rect((cx - 70, cy - 40, cx + 70, cy + 50), (200, 204, 210), radius=8, shine=0.5)
        scene.rect((cx - 70, cy - 20, cx + 70, cy + 30), (30, 90, 150), radius=2, shine=0.15, shadow=False)
        scene.ellipse((cx - 70, cy - 56, cx + 70, cy - 24), (214, 218, 224), shine=0.4, shadow=False)
        scene.flush()
    return scene


def _sea_cucumber(rng):
    scene = _Scene(_linen(rng, (230, 226, 218)))
    _pods(
        scene,
        rng,
        (62, 52, 44),
        rng.randint(5, 7),
        length=(160, 230),
        width=(40, 56),
        wobble=0.14,
        bend=14,
        area=(60, 90, W - 60, H - 80),
        shine=0.2,
    )
    return scene


def _water(rng):
    scene = _Scene(_studio(rng, (222, 234, 244), (170, 192, 214)))
    for i in range(rng.randint(3, 4)):
        _bottle(
            scene,
            rng,
            140 + i * 110,
            410,
            rng.choice((260, 300)),
            80,
            (200, 224, 240),
            (30, 100, 190),
            (40, 120, 200),
            alpha=170,
        )
        scene.flush()
    return scene


def _turmeric(rng):
    scene = _Scene(_wood(rng, (140, 96, 60)))
    _roots(scene, rng, (196, 120, 50), rng.randint(5, 7), thickness=(16, 28), area=(60, 90, 360, 400))
    scene.flush()
    _pile(scene, rng, 460, 330, 110, (236, 150, 20))
    return scene


def _ginger(rng):
    scene = _Scene(_linen(rng))
    _roots(scene, rng, (212, 180, 128), rng.randint(4, 6), thickness=(26, 44), area=(80, 90, W - 80, 300))
    scene.flush()
    for _ in range(9):
        x, y = rng.uniform(80, W - 80), rng.uniform(330, 420)
        scene.ellipse((x - 28, y - 20, x + 28, y + 20), (238, 220, 150), shine=0.3)
    return scene


def _taro(rng):
    scene = _Scene(_leaf(rng) if rng.random() < 0.3 else _wood(rng, (130, 100, 70)))
    for _ in range(rng.randint(4, 6)):
        x, y, r = rng.uniform(110, 490), rng.uniform(140, 360), rng.uniform(55, 80)
        points = _ellipse_poly(x, y, r, r * 0.8, rng.uniform(0, 3), rng, 0.07)
        scene.poly(points, _vary(rng, (122, 92, 70)), shine=0.25)
        for k in range(4):
            scene.line(_scaled(points, 0.9 - k * 0.18, (0, 0))[3:10], (86, 62, 48), 2)
    scene.flush()
    scene.ellipse((420, 330, 540, 420), (236, 228, 232), shine=0.2)
    for _ in range(30):
        x, y = rng.uniform(440, 520), rng.uniform(345, 405)
        scene.line([(x, y), (x + 2, y + 1)], (150, 110, 160), 2)
    return scene


def _tapa(rng):
    scene = _Scene(_linen(rng, (214, 190, 150)))
    brown, black = (110, 58, 30), (40, 30, 24)
    cell = rng.choice((60, 75))
    for row in range(0, H, cell):
        for col in range(0, W, cell):
            pick = (row // cell + col // cell) % 3
            if pick == 0:
                scene.poly(
                    [(col, row + cell), (col + cell / 2, row + 8), (col + cell, row + cell)],
                    brown,
                    shine=0,
                    shadow=False,
                )
            elif pick == 1:
                for k in range(4):
                    scene.line([(col, row + k * cell / 4), (col + cell, row + k * cell / 4)], black, 3)
            else:
                scene.ellipse((col + 12, row + 12, col + cell - 12, row + cell - 12), brown, shine=0, shadow=False)
    scene.flush()
    scene.image = Image.blend(scene.image, _linen(rng, (214, 190, 150)), 0.18)
    return scene


def _woven_mat(rng):
    return _Scene(_weave(rng, (226, 196, 140), (180, 142, 90), strip=rng.choice((16, 20, 24))))


def _basket(rng):
    scene = _Scene(_studio(rng, (236, 228, 214), (170, 140, 100)))
    scene.flush()
    woven = _weave(rng, (214, 180, 120), (160, 120, 70), 12)
    mask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(mask).polygon([(150, 150), (450, 150), (410, 400), (190, 400)], fill=255)
    shadow = Image.new("L", (W, H), 0)
    ImageDraw.Draw(shadow).ellipse((170, 380, 460, 420), fill=140)
    scene.image = Image.composite(
        Image.new("RGB", (W, H), (40, 30, 20)), scene.image, shadow.filter(ImageFilter.GaussianBlur(8))
    )
    scene.image = Image.composite(woven, scene.image, mask)
    scene.ellipse((150, 135, 450, 170), (150, 110, 64), shine=0.2, shadow=False)
    return scene


def _carving(rng):
    scene = _Scene(_linen(rng, (226, 220, 208)))
    _bowl(scene, rng, (110, 150, 420, 380), (110, 66, 36), None)
    scene.flush()
    for k in range(6):
        x = 150 + k * 45
        scene.line([(x, 300), (x + 20, 340), (x + 40, 300)], (70, 40, 22), 3)
    scene.poly(_pod_poly(440, 400, 560, 110, 40, 8), (96, 58, 32), shine=0.4)
    return scene


def _shell_jewellery(rng):
    scene = _Scene(_slate(rng))
    palette = [(240, 232, 220), (190, 70, 50), (40, 34, 30), (230, 200, 170)]
    for strand in range(4):
        y0 = 110 + strand * 70
        for i in range(40):
            t = i / 39
            x = 80 + t * 440
            y = y0 + 50 * math.sin(math.pi * t) + rng.uniform(-2, 2)
            scene.ellipse((x - 6, y - 6, x + 6, y + 6), palette[(i + strand) % len(palette)], shine=0.5)
        scene.flush()
    return scene


def _skincare(rng):
    scene = _Scene(_studio(rng, (240, 238, 232), (214, 206, 192)))
    _jar(scene, rng, (150, 230, 290, 390), (246, 244, 236), (70, 130, 90), label=(70, 130, 90), glass=False)
    _bottle(scene, rng, 380, 395, 260, 74, (244, 240, 228), (200, 170, 110), (70, 130, 90))
    scene.flush()
    scene.poly(_pod_poly(430, 430, 580, 300, 60, 20), (70, 130, 60), shine=0.3)
    return scene


def _tamanu(rng):
    scene = _Scene(_wood(rng, (150, 110, 76)))
    _bottle(scene, rng, 280, 380, 260, 90, (40, 76, 40), (20, 20, 20), (238, 232, 214))
    scene.flush()
    for _ in range(7):
        x, y = rng.uniform(380, 540), rng.uniform(320, 420)
        scene.ellipse((x - 22, y - 20, x + 22, y + 20), _vary(rng, (170, 140, 96)), shine=0.35)
    return scene


def _sandalwood(rng):
    scene = _Scene(_linen(rng, (228, 216, 196)))
    for _ in range(rng.randint(16, 22)):
        x, y = rng.uniform(80, 520), rng.uniform(260, 420)
        a = rng.uniform(0, math.pi)
        length = rng.uniform(40, 90)
        scene.poly(
            _pod_poly(x, y, x + math.cos(a) * length, y + math.sin(a) * length, rng.uniform(10, 18), 2, rng, 0.1),
            _vary(rng, (196, 150, 100)),
            shine=0.25,
        )
    scene.flush()
    _bottle(scene, rng, 300, 250, 190, 64, (150, 90, 30), (20, 20, 20), (236, 226, 200))
    return scene


def _soap(rng):
    scene = _Scene(_wood(rng, (168, 130, 96)))
    for i, x in enumerate((150, 300, 450)):
        y = 250 + (i % 2) * 50
        scene.rect((x - 65, y - 40, x + 65, y + 40), _vary(rng, (240, 232, 214), 8), radius=16, shine=0.3)
    scene.flush()
    _coconut_half(scene, rng, 140, 120, 55)
    return scene


KINDS: dict[str, Callable[[random.Random], _Scene]] = {
    "vanilla": _vanilla,
    "vanilla_powder": _vanilla_powder,
    "kava_root": _kava_root,
    "kava_powder": _kava_powder,
    "coconut_oil": _coconut_oil,
    "coconut_water": _coconut_water,
    "noni": _noni,
    "noni_fruit": _noni_fruit,
    "coffee_green": _coffee_green,
    "coffee_roasted": _coffee_roasted,
    "cocoa_pod": _cocoa_pod,
    "cocoa_beans": _cocoa_beans,
    "chocolate": _chocolate,
    "honey": _honey,
    "honeycomb": _honeycomb,
    "tuna_whole": _tuna_whole,
    "tuna_skipjack": _tuna_skipjack,
    "tuna_loin": _tuna_loin,
    "tuna_can": _tuna_can,
    "sea_cucumber": _sea_cucumber,
    "water": _water,
    "turmeric": _turmeric,
    "ginger": _ginger,
    "taro": _taro,
    "tapa": _tapa,
    "woven_mat": _woven_mat,
    "basket": _basket,
    "carving": _carving,
    "shell_jewellery": _shell_jewellery,
    "skincare": _skincare,
    "tamanu": _tamanu,
    "sandalwood": _sandalwood,
    "soap": _soap,
}


def _photographic(image: Image.Image, rng: random.Random) -> Image.Image:
    """Window light from one side and a vignette, scaled up, then sensor noise."""
    light = _radial_mask()
    ox, oy = int(W * rng.uniform(0.35, 0.65)), int(H * rng.uniform(0.3, 0.6))
    vignette = light.crop((ox, oy, ox + W, oy + H)).point(lambda v: int(max(0, v - 110) * 0.5))
    image = Image.composite(Image.new("RGB", (W, H), (12, 10, 8)), image, vignette)
    if rng.random() < 0.5:
        image = ImageChops.multiply(image, Image.new("RGB", (W, H), (255, 238, 214)))
    image = image.resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    # Seeded sensor noise (Image.effect_noise has its own unseeded generator): a tile of uniform
    # bytes squeezed to +-10, repeated; a repeat every 300 px at that strength is invisible.
    tile = Image.frombytes("L", (300, 300), rng.randbytes(300 * 300)).point(lambda v: 118 + v * 20 // 255)
    noise = Image.new("L", PHOTO_SIZE)
    for x in range(0, PHOTO_SIZE[0], 300):
        for y in range(0, PHOTO_SIZE[1], 300):
            noise.paste(tile, (x, y))
    return ImageChops.add(image, Image.merge("RGB", (noise, noise, noise)), 1.0, -128)


def product_photo(kind: str, seed: int) -> bytes:
    """A 1200x900 JPEG of `kind` (see KINDS); the same seed gives the same bytes."""
    rng = random.Random(seed)
    scene = KINDS[kind](rng)
    scene.flush()
    buffer = io.BytesIO()
    _photographic(scene.image, rng).save(buffer, "JPEG", quality=84)
    return buffer.getvalue()


def company_logo(name: str, color: Color, seed: int) -> bytes:
    """A 480x480 PNG logo: initials over a wave on a coloured disc."""
    rng = random.Random(seed)
    size = 480
    image = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, size - 20, size - 20), fill=color)
    for k in range(3):
        y = 300 + k * 34 + rng.uniform(-4, 4)
        draw.line(
            [(x, y + 14 * math.sin(x / 40 + k)) for x in range(70, size - 69, 6)],
            fill=_mix(color, (255, 255, 255), 0.5 + k * 0.15),
            width=10,
        )
    initials = "".join(word[0] for word in name.replace("'", "").split() if word[:1].isalpha())[:2].upper()
    try:
        font = ImageFont.load_default(size=150)
    except (TypeError, OSError):  # Pillow without FreeType: the bitmap font, small but legible
        font = ImageFont.load_default()
    draw.text((size / 2, 190), initials, font=font, fill=(255, 255, 255), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
