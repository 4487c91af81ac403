"""The canvas and its primitives: sizes, fonts, colours, layers, light, finishing and saving.

Posters are drawn at ``SCALE`` times their final size on an RGBA canvas of ``W`` x ``H`` px,
then downsampled to ``OUT_SIZE`` and saved as JPEG (``to_jpeg``).
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

OUT_SIZE = (400, 600)
# Draw at 2x and downsample: Pillow's shape drawing is not anti-aliased, and
# supersampling is the cheapest way to get smooth edges and crisp small type.
SCALE = 2
W, H = OUT_SIZE[0] * SCALE, OUT_SIZE[1] * SCALE
JPEG_QUALITY = 85

# --------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation"),
]
# Preferred file first; later entries are fallbacks if a font is missing.
FONT_ROLES = {
    "serif": ["LiberationSerif-Regular.ttf", "DejaVuSerif.ttf"],
    "serif_bold": ["LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"],
    "serif_italic": ["LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"],
    "serif_bold_italic": ["LiberationSerif-BoldItalic.ttf", "DejaVuSerif-BoldItalic.ttf"],
    "sans": ["LiberationSans-Regular.ttf", "DejaVuSans.ttf"],
    "sans_bold": ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"],
    "sans_light": ["DejaVuSans-ExtraLight.ttf", "DejaVuSans.ttf", "LiberationSans-Regular.ttf"],
    "narrow": ["LiberationSansNarrow-Regular.ttf", "DejaVuSansCondensed.ttf"],
    "narrow_bold": ["LiberationSansNarrow-Bold.ttf", "DejaVuSansCondensed-Bold.ttf"],
}


@lru_cache(maxsize=None)
def _font_path(role: str) -> str | None:
    candidates = [d / name for name in FONT_ROLES[role] for d in FONT_DIRS]
    # Last resort: any TrueType font in the known directories.
    candidates += [p for d in FONT_DIRS if d.is_dir() for p in sorted(d.glob("*.ttf"))]
    return next((str(p) for p in candidates if p.is_file()), None)


@lru_cache(maxsize=None)
def font(role: str, size: int) -> ImageFont.FreeTypeFont:
    path = _font_path(role)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)


# --------------------------------------------------------------------------
# Colour and layer primitives
# --------------------------------------------------------------------------

Colour = str  # "#rrggbb"


def rgb(c: Colour) -> tuple[int, int, int]:
    c = c.lstrip("#")
    return tuple(int(c[i : i + 2], 16) for i in (0, 2, 4))


def rgba(c: Colour, a: float = 255) -> tuple[int, int, int, int]:
    return (*rgb(c), int(max(0, min(255, a))))


def mix(c1, c2, t: float) -> tuple[int, int, int]:
    return tuple(round(a + (b - a) * t) for a, b in zip(c1, c2, strict=True))


def _sample(stops, t: float):
    if t <= stops[0][0]:
        return rgb(stops[0][1])
    for (p0, c0), (p1, c1) in pairwise(stops):
        if t <= p1:
            return mix(rgb(c0), rgb(c1), (t - p0) / (p1 - p0) if p1 > p0 else 1.0)
    return rgb(stops[-1][1])


def vgradient(stops, size=(W, H)) -> Image.Image:
    """Vertical multi-stop gradient. stops: [(0..1, "#rrggbb"), ...]."""
    w, h = size
    column = Image.new("RGB", (1, h))
    column.putdata([_sample(stops, y / (h - 1)) for y in range(h)])
    return column.resize((w, h), Image.NEAREST).convert("RGBA")


def span_gradient(y0: float, y1: float, colours) -> Image.Image:
    """Full-canvas gradient whose colours run from y0 to y1 (for text fills)."""
    n = len(colours) - 1
    return vgradient([((y0 + (y1 - y0) * i / n) / H, c) for i, c in enumerate(colours)])


def scale_alpha(im: Image.Image, k: float) -> Image.Image:
    im.putalpha(im.getchannel("A").point(lambda v: min(255, int(v * k))))
    return im


def new_layer() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    lay = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    return lay, ImageDraw.Draw(lay)


def layer(
    img: Image.Image, paint: Callable[[ImageDraw.ImageDraw], None], blur: float = 0, opacity: float = 1.0
) -> None:
    """Paint onto a transparent layer, optionally blur it, and composite."""
    lay, d = new_layer()
    paint(d)
    if blur:
        lay = lay.filter(ImageFilter.GaussianBlur(blur))
    if opacity != 1.0:
        scale_alpha(lay, opacity)
    img.alpha_composite(lay)


def bloom(img: Image.Image, lay: Image.Image, radius: float, strength: float = 1.0) -> None:
    """Composite a layer plus a blurred copy of itself, for light sources."""
    glow_lay = scale_alpha(lay.filter(ImageFilter.GaussianBlur(radius)), strength)
    img.alpha_composite(glow_lay)
    img.alpha_composite(lay)


def glow(img: Image.Image, cx, cy, r, colour: Colour, alpha=255, blur=None) -> None:
    layer(
        img,
        lambda d: d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=rgba(colour, alpha)),
        blur=blur if blur is not None else r * 0.6,
    )


def scrim(img: Image.Image, y0: int, y1: int, colour: Colour = "#000000", alpha: int = 200) -> None:
    """Darken (or tint) from y0 to y1 and below, so the billing block stays legible."""
    column = Image.new("L", (1, H))
    column.putdata([0 if y < y0 else int(alpha * min(1.0, (y - y0) / max(1, y1 - y0)) ** 1.3) for y in range(H)])
    img.paste(Image.new("RGBA", (W, H), rgba(colour)), (0, 0), column.resize((W, H)))


def vignette(img: Image.Image, strength: float, colour: Colour = "#000000") -> None:
    radial = Image.radial_gradient("L").resize((W, H), Image.BICUBIC)
    mask = radial.point(lambda v: int(255 * strength * (v / 255) ** 2.4))
    img.paste(Image.new("RGBA", (W, H), rgba(colour)), (0, 0), mask)


def add_grain(img: Image.Image, rng: random.Random, amount: int) -> Image.Image:
    """Monochrome film grain; also dithers away gradient banding in the JPEG."""
    if amount <= 0:
        return img
    noise = Image.frombytes("L", img.size, rng.randbytes(img.width * img.height))
    noise = noise.point(lambda v: 128 + (v - 128) * amount // 128)
    return ImageChops.add(img, Image.merge("RGB", (noise,) * 3), offset=-128)


def to_jpeg(img: Image.Image) -> bytes:
    """The poster file's bytes: the same image always gives the same bytes."""
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()
