#!/usr/bin/env python3
"""Generate poster art for Moviebook's (fictional) film catalogue.

Every poster is drawn from scratch with Pillow -- gradients, shapes and the
system DejaVu / Liberation fonts -- so the repository ships no third-party
artwork and the images can be rebuilt at any time:

    python scripts/make_posters.py          # needs Pillow

Output: assets/posters/<slug>.jpg, 400x600 px, JPEG quality 85.

All randomness comes from a random.Random seeded with the slug, so re-running
the script rewrites byte-identical files.
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "assets" / "posters"
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
    return tuple(round(a + (b - a) * t) for a, b in zip(c1, c2))


def _sample(stops, t: float):
    if t <= stops[0][0]:
        return rgb(stops[0][1])
    for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
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


# --------------------------------------------------------------------------
# Typography
# --------------------------------------------------------------------------


@dataclass
class Line:
    text: str
    font: ImageFont.FreeTypeFont
    tracking: float = 0.0  # extra px between letters
    gap: float = 0.0  # px of space below this line


def text_width(text: str, fnt, tracking: float = 0.0) -> float:
    if not tracking:
        return fnt.getlength(text)
    return sum(fnt.getlength(ch) for ch in text) + tracking * (len(text) - 1)


def _draw_line(d: ImageDraw.ImageDraw, x: float, baseline: float, line: Line, stroke: int) -> None:
    kw = dict(font=line.font, fill=255, anchor="ls", stroke_width=stroke, stroke_fill=255)
    if not line.tracking:  # whole string keeps the font's kerning
        d.text((x, baseline), line.text, **kw)
        return
    for ch in line.text:
        d.text((x, baseline), ch, **kw)
        x += line.font.getlength(ch) + line.tracking


def text_mask(
    lines: list[Line], x: float, y: float, align: str = "center", stroke: int = 0
) -> tuple[Image.Image, float]:
    """Render lines into an L mask. y is the top of the first line's ink.
    Returns (mask, y of the bottom of the block)."""
    mask = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(mask)
    for line in lines:
        # Ink-based spacing: caps-only titles sit tight, descenders get room.
        _, top, _, bottom = line.font.getbbox(line.text or " ", anchor="ls")
        baseline = y - top
        width = text_width(line.text, line.font, line.tracking)
        left = {"center": x - width / 2, "left": x, "right": x - width}[align]
        _draw_line(d, left, baseline, line, stroke)
        y = baseline + max(bottom, 0) + line.gap
    return mask, y


def fill_mask(img: Image.Image, mask: Image.Image, fill, opacity: float = 1.0) -> None:
    src = fill if isinstance(fill, Image.Image) else Image.new("RGBA", img.size, rgba(fill))
    if opacity != 1.0:
        mask = mask.point(lambda v: int(v * opacity))
    img.paste(src, (0, 0), mask)


def paint_text(
    img: Image.Image,
    lines: list[Line],
    x: float,
    y: float,
    fill,
    align: str = "center",
    shadow=None,
    glow=None,
    stroke=None,
    opacity: float = 1.0,
) -> float:
    """Draw a block of text with optional effects; returns the block's bottom y.

    fill:   colour or full-canvas RGBA image (e.g. a gradient)
    shadow: (dx, dy, blur, colour, alpha)
    glow:   (colour, radius, strength)
    stroke: (width, colour)
    """
    mask, bottom = text_mask(lines, x, y, align)
    outer = text_mask(lines, x, y, align, stroke=stroke[0])[0] if stroke else mask
    if glow:
        colour, radius, strength = glow
        fill_mask(img, outer.filter(ImageFilter.GaussianBlur(radius)), colour, strength)
    if shadow:
        dx, dy, blur, colour, alpha = shadow
        sh = ImageChops.offset(outer, dx, dy)
        if blur:
            sh = sh.filter(ImageFilter.GaussianBlur(blur))
        fill_mask(img, sh, colour, alpha / 255)
    if stroke:
        fill_mask(img, outer, stroke[1], opacity)
    fill_mask(img, mask, fill, opacity)
    return bottom


def wrap(text: str, fnt, max_w: float, tracking: float = 0.0) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if cur and text_width(trial, fnt, tracking) > max_w:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    return lines + [cur]


def fit_size(text: str, role: str, max_w: float, max_size: int, tracking_em: float = 0.0, min_size: int = 10) -> int:
    """Largest font size <= max_size at which text fits on one line."""
    for size in range(max_size, min_size - 1, -1):
        if text_width(text, font(role, size), size * tracking_em) <= max_w:
            return size
    return min_size


def fit_line(text: str, role: str, max_w: float, max_size: int, tracking_em: float = 0.0, gap: float = 0.0) -> Line:
    size = fit_size(text, role, max_w, max_size, tracking_em)
    return Line(text, font(role, size), size * tracking_em, gap)


def wrapped_lines(
    text: str, role: str, max_w: float, size: int, tracking_em: float = 0.0, gap_em: float = 0.35
) -> list[Line]:
    fnt, tr = font(role, size), size * tracking_em
    return [Line(t, fnt, tr, size * gap_em) for t in wrap(text, fnt, max_w, tr)]


def tagline(
    img,
    text,
    y,
    colour,
    role="serif_italic",
    size=26,
    tracking_em=0.0,
    max_w=W - 140,
    align="center",
    x=W / 2,
    opacity=1.0,
    shadow=True,
) -> float:
    lines = wrapped_lines(text, role, max_w, size, tracking_em)
    sh = (0, 2, 4, "#000000", 150) if shadow else None
    return paint_text(img, lines, x, y, colour, align=align, shadow=sh, opacity=opacity)


# --------------------------------------------------------------------------
# Credits (all names invented; rare surnames keep clear of real people)
# --------------------------------------------------------------------------

FIRST_NAMES = [
    "Mara",
    "Theo",
    "Ilse",
    "Dorian",
    "Tamsin",
    "Rafe",
    "Noor",
    "Caspian",
    "Wren",
    "Soren",
    "Juno",
    "Anouk",
    "Bram",
    "Odessa",
    "Ezra",
    "Marisol",
    "Talia",
    "Fenn",
    "Priya",
    "Lucan",
    "Sabine",
    "Otto",
    "Yara",
    "Cosima",
    "Nell",
    "Hollis",
    "Ines",
    "Keziah",
    "Leif",
    "Maren",
    "Rosalind",
    "Silas",
    "Vida",
    "Anselm",
    "Calla",
    "Imre",
]
LAST_NAMES = [
    "Vellacott",
    "Ashgrove",
    "Quillan",
    "Thornbury",
    "Marchbanks",
    "Halvorsen",
    "Castellane",
    "Pemberly",
    "Ostrander",
    "Lindqvist",
    "Achterberg",
    "Sayre-Holm",
    "Moravec",
    "Kestrelle",
    "Amberley",
    "Okafor-Lyle",
    "Delacourt",
    "Fairweather",
    "Brannagh",
    "Ilves",
    "Rookwood",
    "Tavernier",
    "Quintero-Vale",
    "Haverford",
    "Nakashima-Roe",
    "Oyelaran",
    "Szabo-Finch",
    "Merriweather",
    "Ravensdale",
    "Lockridge",
]
# Kept short enough that the block wraps to four lines at 400 px wide.
CREW_ROLES = [
    "MUSIC BY",
    "EDITED BY",
    "PRODUCTION DESIGNER",
    "DIRECTOR OF PHOTOGRAPHY",
    "EXECUTIVE PRODUCER",
    "PRODUCED BY",
    "WRITTEN BY",
]


@dataclass
class Credits:
    cast: list[str]
    director: str
    crew: list[tuple[str, str]]


def make_credits(film: "Film") -> Credits:
    rng = random.Random(zlib.crc32(f"credits:{film.slug}".encode()))
    # Sampling first and last names separately means no repeats within a film.
    names = [f"{f} {l}".upper() for f, l in zip(rng.sample(FIRST_NAMES, 14), rng.sample(LAST_NAMES, 14))]
    cast, director, rest = names[:4], names[4], names[5:]
    return Credits(cast, director, [(role, rest.pop()) for role in CREW_ROLES])


def billing_units(film: "Film", credits: Credits) -> list[list[tuple[str, bool]]]:
    """Units of (text, is_small) tokens; a unit never breaks across lines."""
    units = [
        [(film.studio, False), ("PRESENTS", True)],
        [("IN ASSOCIATION WITH", True), (film.production, False)],
    ]
    if "Documentary" in film.genres:
        units.append([("NARRATED BY", True), (credits.cast[0], False)])
    else:
        voice = "Animation" in film.genres
        units.append([("WITH THE VOICES OF" if voice else "STARRING", True)])
        units += [[(name, False)] for name in credits.cast]
    units.append([(f"\u201c{film.title.upper()}\u201d", False)])
    units += [[(role, True), (name, False)] for role, name in credits.crew]
    units.append([("DIRECTED BY", True), (credits.director, False)])
    return units


def _billing_line_mask(tokens, squeeze: float) -> Image.Image:
    """Render one billing line, then squeeze it horizontally: that tall,
    compressed look is what makes a billing block read as one."""
    big, small = font("narrow", 26), font("narrow", 15)
    space = big.getlength("  ")
    widths = [(small if s else big).getlength(t) for t, s in tokens]
    total = sum(widths) + space * (len(tokens) - 1)
    im = Image.new("L", (math.ceil(total) + 2, 30))
    d = ImageDraw.Draw(im)
    x = 1
    for (text, is_small), w in zip(tokens, widths):
        d.text((x, 25), text, font=small if is_small else big, fill=255, anchor="ls")
        x += w + space
    return im.resize((max(1, round(im.width * squeeze)), im.height), Image.LANCZOS)


def billing_block(
    img: Image.Image, film: "Film", bottom: int = H - 26, width: int = W - 70, squeeze: float = 0.54
) -> float:
    """Draw the credits block and the Moviebook call-to-action; returns its top y."""
    colour = film.billing_colour
    cta = Line(film.cta, font("sans_bold", 19), tracking=5)
    cta_top = bottom - 19
    mask, _ = text_mask([cta], W / 2, cta_top)
    fill_mask(img, mask, colour)

    # Greedy wrap of whole units into squeezed lines of at most `width` px.
    lines, cur = [], []
    for unit in billing_units(film, make_credits(film)):
        trial = cur + unit
        if cur and _billing_line_mask(trial, squeeze).width > width:
            lines.append(cur)
            cur = list(unit)
        else:
            cur = trial
    lines.append(cur)

    line_h = 26
    top = cta_top - 16 - line_h * len(lines)
    mask = Image.new("L", (W, H))
    for i, tokens in enumerate(lines):
        lm = _billing_line_mask(tokens, squeeze)
        mask.paste(lm, (round((W - lm.width) / 2), top + i * line_h))
    fill_mask(img, mask, colour, 0.9)
    return top


def cast_line(
    img: Image.Image,
    film: "Film",
    y: float,
    colour: Colour,
    count: int = 3,
    align: str = "center",
    x: float = W / 2,
    size: int = 22,
) -> float:
    names = "     ".join(make_credits(film).cast[:count])
    line = Line(names, font("sans_bold", size), tracking=3)
    if text_width(line.text, line.font, 3) > W - 100:
        line = fit_line(names, "sans_bold", W - 100, size, 3 / size)
    return paint_text(img, [line], x, y, colour, align=align, shadow=(0, 2, 3, "#000000", 140))


# --------------------------------------------------------------------------
# Reusable scenery
# --------------------------------------------------------------------------


def stars(img, rng, n, y0, y1, colour="#ffffff", max_alpha=230, fade_down=True, bloom_r=3):
    lay, d = new_layer()
    for _ in range(n):
        x, y = rng.uniform(0, W), rng.uniform(y0, y1)
        r = rng.choice([0.8, 1, 1, 1.3, 1.6, 2.2]) * (1.6 if rng.random() < 0.04 else 1)
        a = max_alpha * rng.uniform(0.3, 1) * ((1 - (y - y0) / (y1 - y0)) if fade_down else 1)
        d.ellipse((x - r, y - r, x + r, y + r), fill=rgba(colour, a))
    bloom(img, lay, bloom_r, 0.8)


def blobs(img, rng, n, box, colour, alpha, rx, ry, blur):
    """Soft clouds / fog / stains: random blurred ellipses inside box."""
    x0, y0, x1, y1 = box

    def paint(d):
        for _ in range(n):
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            a, b = rng.uniform(*rx), rng.uniform(*ry)
            d.ellipse((x - a, y - b, x + a, y + b), fill=rgba(colour, rng.uniform(*alpha)))

    layer(img, paint, blur=blur)


def ridge(rng, y, amp, x_step=20, waves=3, jitter=0.0):
    """Polyline points of a smooth random horizon line across the canvas."""
    phases = [rng.uniform(0, math.tau) for _ in range(waves)]
    freqs = [rng.uniform(0.002, 0.012) * (k + 1) for k in range(waves)]
    pts = []
    for x in range(-x_step, W + 2 * x_step, x_step):
        off = sum(math.sin(x * f + p) / (k + 1) for k, (f, p) in enumerate(zip(freqs, phases)))
        pts.append((x, y + amp * off + rng.uniform(-jitter, jitter)))
    return pts


def hill(d, pts, colour, alpha=255):
    d.polygon(pts + [(W + 40, H + 10), (-40, H + 10)], fill=rgba(colour, alpha))


def y_on(pts, x):
    """Height of a ridge polyline at x (linear interpolation)."""
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return pts[-1][1]


def streak(d, head, direction, length, width, colour, max_alpha=255, segments=40, taper=1.5):
    """A tapering, fading tail behind `head` (meteors, comets)."""
    dx, dy = direction
    for i in range(segments, 0, -1):
        t0, t1 = (i - 1) / segments, i / segments
        p0 = (head[0] + dx * length * t0, head[1] + dy * length * t0)
        p1 = (head[0] + dx * length * t1, head[1] + dy * length * t1)
        a = max_alpha * (1 - t0) ** taper
        d.line([p0, p1], fill=rgba(colour, a), width=max(1, round(width * (1 - t0 * 0.85))))


def pine(d, rng, x, base, h, w, colour):
    """Jagged conifer silhouette: stacked tiers with randomised tips."""
    tiers = max(5, int(h / 38))
    top = base - h
    right, left = [], []
    for i in range(1, tiers + 1):
        y = top + (h * 0.93) * i / tiers
        half = w / 2 * (i / tiers) ** 0.9
        for side, pts in ((1, right), (-1, left)):
            jag = rng.uniform(0.8, 1.15)
            pts.append((x + side * half * jag, y + rng.uniform(-4, 4)))
            pts.append((x + side * half * 0.4, y - h * 0.35 / tiers))
    trunk = max(3, w * 0.05)
    poly = [(x, top)] + right + [(x + trunk, base), (x - trunk, base)] + left[::-1]
    d.polygon(poly, fill=colour)


def pine_row(d, rng, base, h_range, w_ratio, spacing, colour, jitter=20):
    x = -30
    while x < W + 30:
        h = rng.uniform(*h_range)
        pine(d, rng, x, base + rng.uniform(-jitter, jitter), h, h * w_ratio * rng.uniform(0.8, 1.2), colour)
        x += rng.uniform(*spacing)


def person(d, x, foot, h, colour, dress=False, reach=None, lean=0.0):
    """Standing silhouette h px tall; `reach` is where the right hand goes."""
    u = h / 7.6  # one head-height
    top = foot - h
    cx = x + lean * u
    d.ellipse((cx - u * 0.42, top, cx + u * 0.42, top + u), fill=colour)
    d.rectangle((cx - u * 0.15, top + u * 0.8, cx + u * 0.15, top + u * 1.3), fill=colour)
    sh, hip = top + u * 1.3, top + u * 3.9
    d.rounded_rectangle((cx - u * 0.9, sh, cx + u * 0.9, sh + u * 0.7), radius=u * 0.3, fill=colour)
    d.polygon(
        [(cx - u * 0.85, sh + u * 0.3), (cx + u * 0.85, sh + u * 0.3), (x + u * 0.6, hip), (x - u * 0.6, hip)],
        fill=colour,
    )
    lw = max(2, round(u * 0.42))
    d.line([(x - u * 0.3, hip - u * 0.2), (x - u * 0.4, foot)], fill=colour, width=lw)
    d.line([(x + u * 0.3, hip - u * 0.2), (x + u * 0.4, foot)], fill=colour, width=lw)
    if dress:
        d.polygon(
            [
                (x - u * 0.55, hip - u * 0.6),
                (x + u * 0.55, hip - u * 0.6),
                (x + u * 1.25, foot - u * 1.6),
                (x - u * 1.25, foot - u * 1.6),
            ],
            fill=colour,
        )
    aw = max(2, round(u * 0.34))
    d.line([(cx - u * 0.8, sh + u * 0.3), (x - u * 1.0, hip + u * 0.4)], fill=colour, width=aw, joint="curve")
    end = reach or (x + u * 1.0, hip + u * 0.4)
    d.line([(cx + u * 0.8, sh + u * 0.3), end], fill=colour, width=aw, joint="curve")


def leaf(d, cx, cy, angle, length, width, colour):
    """Lens-shaped leaf polygon (ImageDraw cannot rotate ellipses)."""
    ca, sa = math.cos(angle), math.sin(angle)
    pts = []
    for i in range(13):
        t = i / 12
        pts.append((t * length, math.sin(t * math.pi) * width / 2))
    pts += [(x, -y) for x, y in reversed(pts)]
    d.polygon([(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts], fill=colour)


def laurel(img, cx, cy, lines, colour, size=1.0):
    """Festival laurel wreath; lines = (small, big, small) award text, fitted inside."""

    def paint(d):
        r = 86 * size
        for side in (-1, 1):
            for i in range(9):
                # Left branch climbs from the bottom (100 deg) round to the top-left.
                a = math.radians(100 + i * 17)
                px, py = cx - side * r * math.cos(a) * 0.78, cy + r * math.sin(a)
                tangent = math.atan2(math.cos(a), side * 0.78 * math.sin(a))
                for spread, ln in ((0.55, 26), (-0.55, 21)):  # outer leaf longer
                    leaf(d, px, py, tangent - side * spread, ln * size, 10 * size, rgba(colour))

    layer(img, paint)
    inner = 100 * size
    text = [
        fit_line(t, "narrow_bold" if i == 1 else "narrow", inner, 24 if i == 1 else 15, 0.04, gap=5)
        for i, t in enumerate(lines)
    ]
    _, bottom = text_mask(text, cx, 0)
    paint_text(img, text, cx, cy - bottom / 2, colour)


# --------------------------------------------------------------------------
# Posters
# --------------------------------------------------------------------------


def the_last_lighthouse(img, film, rng):
    horizon, lx, ly = 700, 585, 392
    img.paste(
        vgradient(
            [
                (0, "#060b13"),
                (0.3, "#142030"),
                (0.56, "#2c3b4b"),
                (0.583, "#41515f"),
                (0.584, "#1d2d38"),
                (0.75, "#0c161d"),
                (1, "#03070a"),
            ]
        )
    )
    blobs(img, rng, 45, (-100, -50, W + 100, 620), "#070c12", (110, 210), (80, 220), (30, 70), 28)
    blobs(img, rng, 25, (-100, 100, W + 100, 640), "#627585", (25, 60), (60, 160), (12, 30), 18)

    # The beam: a wide soft wedge and a brighter core, sweeping left.
    beam = lambda spread, a: (
        lambda d: d.polygon(
            [(lx, ly - 7), (lx, ly + 7), (-60, ly + 60 + spread), (-60, ly - 60 - spread)], fill=rgba("#fff3c4", a)
        )
    )
    layer(img, beam(120, 60), blur=22)
    layer(img, beam(30, 110), blur=8)
    layer(
        img,
        lambda d: d.polygon(
            [(lx, ly - 5), (lx, ly + 5), (W + 40, ly + 35), (W + 40, ly - 45)], fill=rgba("#fff3c4", 40)
        ),
        blur=10,
    )

    def sea(d):
        for k in range(46):
            t = k / 45
            y = horizon + 6 + (H - horizon) * t**1.6
            amp, freq, ph = 2 + 16 * t, 0.03 - 0.018 * t, rng.uniform(0, math.tau)
            pts = [
                (x, y + amp * math.sin(x * freq + ph) + rng.uniform(-1, 1) * amp * 0.25) for x in range(-10, W + 20, 10)
            ]
            d.line(pts, fill=rgba("#8aa0b0", 20 + 55 * t), width=max(1, round(1 + 3 * t)))
        for _ in range(140):  # the beam's glitter on the water
            y = rng.uniform(horizon + 4, horizon + 190)
            x = lx - (y - horizon) * rng.uniform(0.5, 3.2)
            w = rng.uniform(6, 30)
            d.line([(x - w, y), (x + w, y)], fill=rgba("#ffe9a8", rng.uniform(40, 140)), width=2)

    layer(img, sea, blur=1)

    def tower(d):
        d.polygon(
            [
                (430, 800),
                (455, 770),
                (500, 762),
                (540, 748),
                (600, 752),
                (650, 742),
                (700, 768),
                (740, 790),
                (760, 830),
                (420, 830),
            ],
            fill="#06090c",
        )
        hw = lambda y: 30 + 18 * (y - 420) / 360
        d.polygon([(lx - 48, 780), (lx, 780), (lx, 420), (lx - 30, 420)], fill="#b5bcc0")
        d.polygon([(lx, 780), (lx + 48, 780), (lx + 30, 420), (lx, 420)], fill="#6b767e")
        for y0, y1 in ((500, 545), (620, 665)):
            d.polygon([(lx - hw(y0), y0), (lx, y0), (lx, y1), (lx - hw(y1), y1)], fill="#973533")
            d.polygon([(lx, y0), (lx + hw(y0), y0), (lx + hw(y1), y1), (lx, y1)], fill="#5e2224")
        d.rectangle((lx - 8, 745, lx + 8, 780), fill="#1a1f24")
        for y in (470, 590, 710):
            d.rectangle((lx - 5, y, lx + 5, y + 14), fill="#2a3036")
        d.rectangle((lx - 42, 410, lx + 42, 422), fill="#1b2126")
        d.rectangle((lx - 24, 362, lx + 24, 410), fill="#fff0b8")
        for x in (lx - 12, lx, lx + 12):
            d.line([(x, 362), (x, 410)], fill="#8b7a4a", width=2)
        d.pieslice((lx - 28, 340, lx + 28, 384), 180, 360, fill="#1b2126")
        d.line([(lx, 345), (lx, 326)], fill="#1b2126", width=4)

    layer(img, tower)
    glow(img, lx, ly - 6, 48, "#fff2b0", 230, blur=18)
    glow(img, lx, ly - 6, 160, "#ffe08a", 70)
    blobs(img, rng, 14, (430, 790, 760, 840), "#c9d6de", (40, 90), (20, 50), (6, 14), 10)

    def rain(d):
        for _ in range(380):
            x, y, ln = rng.uniform(-50, W + 80), rng.uniform(-40, H), rng.uniform(25, 70)
            d.line(
                [(x, y), (x - ln * 0.28, y + ln)],
                fill=rgba("#b4c4d0", rng.uniform(18, 55)),
                width=rng.choice([1, 1, 2]),
            )

    layer(img, rain)
    scrim(img, 900, 1130, alpha=215)

    y = tagline(img, film.tagline, 58, "#c3ced6", size=25)
    title_fill = span_gradient(y + 40, y + 250, ["#ffffff", "#f1e4c0", "#c8ae72"])
    y = paint_text(
        img,
        [fit_line("THE LAST", "serif", 360, 52, 0.35, gap=18)],
        W / 2,
        y + 34,
        title_fill,
        shadow=(0, 4, 8, "#000000", 200),
    )
    paint_text(
        img,
        [fit_line("LIGHTHOUSE", "serif_bold", W - 90, 130, 0.06)],
        W / 2,
        y,
        title_fill,
        shadow=(0, 5, 10, "#000000", 220),
        glow=("#ffe7a0", 24, 0.25),
    )


def starfall_protocol(img, film, rng):
    img.paste(
        vgradient(
            [(0, "#021114"), (0.28, "#08313b"), (0.52, "#1a6670"), (0.68, "#b8643d"), (0.77, "#f39a4f"), (1, "#ffb566")]
        )
    )
    stars(img, rng, 90, 0, 420, "#bff7ff", 200)
    glow(img, 260, 900, 330, "#ff7a2e", 170)
    glow(img, 260, 920, 130, "#ffd9a0", 230)
    blobs(img, rng, 18, (120, 560, 420, 860), "#0a2a30", (50, 110), (40, 110), (40, 90), 30)

    lay, d = new_layer()
    direction = (math.cos(math.radians(-34)), math.sin(math.radians(-34)))
    heads = [(rng.uniform(40, 760), rng.uniform(110, 680)) for _ in range(11)]
    for i, head in enumerate(heads):
        colour = "#ffd8a8" if i % 3 else "#9ff6ff"
        streak(d, head, direction, rng.uniform(140, 420), rng.uniform(3, 8), colour, 240)
        d.ellipse((head[0] - 5, head[1] - 5, head[0] + 5, head[1] + 5), fill=rgba("#ffffff"))
    streak(d, (300, 820), direction, 900, 16, "#ffe6c2", 255, segments=70, taper=1.2)
    d.ellipse((288, 808, 312, 832), fill=rgba("#ffffff"))
    bloom(img, lay, 12, 1.4)

    def skyline(d, colour, y_range, w_range, windows):
        x = -20
        while x < W + 20:
            w, top = rng.uniform(*w_range), rng.uniform(*y_range)
            d.rectangle((x, top, x + w, H), fill=colour)
            roll = rng.random()
            if roll < 0.3:
                d.rectangle((x + w * 0.2, top - w * 0.4, x + w * 0.8, top), fill=colour)
            elif roll < 0.5:
                d.rectangle((x + w / 2 - 2, top - rng.uniform(30, 90), x + w / 2 + 2, top), fill=colour)
            if windows:
                for wy in range(int(top) + 12, H, 16):
                    for wx in range(int(x) + 8, int(x + w) - 8, 12):
                        if rng.random() < 0.11:
                            c = rng.choice(["#ffb36b", "#ffb36b", "#73e6ef"])
                            d.rectangle((wx, wy, wx + 4, wy + 7), fill=rgba(c, rng.uniform(90, 220)))
            x += w + rng.uniform(-4, 6)

    layer(img, lambda d: skyline(d, rgba("#103038"), (660, 840), (40, 90), False))
    layer(img, lambda d: skyline(d, rgba("#03080a"), (790, 960), (50, 120), True))
    scrim(img, 860, 1080, alpha=190)

    cast_line(img, film, 42, "#d9f6f8")
    tagline(img, film.tagline, 92, "#fbe3c8", role="sans", size=18, tracking_em=0.25)
    fill = span_gradient(830, 940, ["#ffffff", "#ffe0b0", "#ff9a4a"])
    y = paint_text(
        img,
        [fit_line("STARFALL", "sans_bold", W - 70, 140, 0.05, gap=18)],
        W / 2,
        828,
        fill,
        shadow=(0, 6, 12, "#000000", 230),
        glow=("#ff8a3d", 22, 0.5),
    )
    paint_text(img, [fit_line("PROTOCOL", "sans_bold", 420, 40, 0.55)], W / 2, y, "#7ff0f5", glow=("#22c8d8", 10, 0.6))


def paper_lanterns(img, film, rng):
    img.paste(
        vgradient(
            [(0, "#0c0924"), (0.33, "#2a1a4b"), (0.58, "#6a2e62"), (0.76, "#c35f5c"), (0.86, "#f3a35a"), (1, "#f3a35a")]
        )
    )
    stars(img, rng, 110, 0, 520, "#fff4dc", 190)
    back = ridge(rng, 925, 30)
    front = ridge(rng, 1010, 38)
    layer(img, lambda d: hill(d, back, "#3b1c44"))

    title_box = (60, 80, W - 60, 400)
    lanterns = []
    for _ in range(110):
        x, y = rng.uniform(-10, W + 10), rng.uniform(60, 930)
        inside = title_box[0] < x < title_box[2] and title_box[1] < y < title_box[3]
        if inside and rng.random() < 0.9:  # keep the title readable
            continue
        depth = (y / 930) ** 1.4
        lanterns.append((x, y, (9 + 42 * depth) * rng.uniform(0.7, 1.25)))
    lanterns.append((515, 835, 46))  # the one just released by the child
    lanterns.sort(key=lambda l: l[2])

    glow_lay, g = new_layer()
    body_lay, b = new_layer()
    for x, y, w in lanterns:
        h = w * 1.25
        g.ellipse((x - w * 1.5, y - w * 1.5, x + w * 1.5, y + w * 1.5), fill=rgba("#ff9f45", 75))
        b.rounded_rectangle((x - w / 2, y - h / 2, x + w / 2, y + h / 2), radius=w * 0.32, fill=rgba("#ff9a3a"))
        b.ellipse((x - w * 0.32, y - h * 0.3, x + w * 0.32, y + h * 0.42), fill=rgba("#ffe3a3"))
        b.rectangle((x - w * 0.34, y - h / 2 - 1, x + w * 0.34, y - h / 2 + h * 0.09), fill=rgba("#9b4420"))
        b.rectangle((x - w * 0.3, y + h / 2 - h * 0.07, x + w * 0.3, y + h / 2 + 1), fill=rgba("#fff3c4"))
    img.alpha_composite(glow_lay.filter(ImageFilter.GaussianBlur(16)))
    img.alpha_composite(body_lay.filter(ImageFilter.GaussianBlur(1.2)))

    def figures(d):
        hill(d, front, "#150a1d")
        fy = y_on(front, 470)
        person(d, 470, fy + 4, 150, "#150a1d", reach=(520, fy - 128))
        cy = y_on(front, 525)
        person(d, 525, cy + 4, 90, "#150a1d", reach=(518, cy - 100))

    layer(img, figures)
    scrim(img, 1000, 1120, "#0b0510", 160)

    lines = [
        fit_line("Paper", "serif_bold", W - 120, 150, 0.02, gap=10),
        fit_line("Lanterns", "serif_bold", W - 120, 150, 0.02),
    ]
    y = paint_text(
        img,
        lines,
        W / 2,
        104,
        span_gradient(104, 380, ["#fff8e6", "#ffd9a0"]),
        glow=("#ff9d3c", 26, 0.9),
        shadow=(0, 4, 8, "#1a0b22", 160),
    )
    tagline(img, film.tagline, y + 30, "#ffe4c4", size=28)


def midnight_at_the_grand(img, film, rng):
    gold, gold_dark = "#d8b24a", "#8d6a22"
    img.paste(vgradient([(0, "#1a0208"), (0.45, "#4f0c1f"), (0.8, "#2e0612"), (1, "#120106")]))

    def sunburst(d):
        ox, oy = 400, 330
        for i in range(0, 180, 4):
            a0, a1 = math.radians(180 + i), math.radians(180 + i + 1.6)
            d.polygon(
                [
                    (ox, oy),
                    (ox + 1400 * math.cos(a0), oy + 1400 * math.sin(a0)),
                    (ox + 1400 * math.cos(a1), oy + 1400 * math.sin(a1)),
                ],
                fill=rgba(gold, 38 if i % 8 else 70),
            )

    layer(img, sunburst, blur=1.5)
    glow(img, 400, 360, 280, "#f2c15a", 70)
    # Searchlights crossing behind the hotel.
    for sx, tx in ((60, 520), (740, 280)):
        layer(
            img,
            lambda d, sx=sx, tx=tx: d.polygon(
                [(sx - 10, H), (sx + 10, H), (tx + 70, 0), (tx - 70, 0)], fill=rgba("#ffe9b0", 28)
            ),
            blur=14,
        )

    tiers = [(80, 650, 720, H), (165, 530, 635, 650), (245, 410, 555, 530), (320, 345, 480, 410)]

    def facade(d):
        d.polygon([(345, 345), (455, 345), (400, 268)], fill="#3a0815", outline=gold, width=3)
        d.line([(400, 268), (400, 258)], fill=gold, width=3)
        for x0, y0, x1, y1 in reversed(tiers):
            d.rectangle((x0, y0, x1, y1), fill="#3a0815", outline=gold, width=3)
            for x in range(x0 + 14, x1 - 6, 18):  # vertical fluting
                d.line([(x, y0 + 8), (x, y1)], fill=rgba(gold, 70), width=1)
            for k in range(3):  # stepped cornice
                d.rectangle(
                    (x0 + 10 + k * 10, y0 - 8 - k * 6, x1 - 10 - k * 10, y0 - k * 6),
                    fill="#3a0815",
                    outline=gold,
                    width=2,
                )
        for wy in range(680, 820, 60):
            for wx in range(110, 690, 66):
                if 300 < wx < 470:
                    continue
                lit = rng.random() < 0.4
                d.rectangle(
                    (wx, wy, wx + 34, wy + 44), fill="#ffd27a" if lit else "#22040b", outline=gold_dark, width=2
                )
        for wx in range(190, 610, 52):
            d.rectangle(
                (wx, 570, wx + 26, 620),
                fill="#ffd27a" if rng.random() < 0.45 else "#22040b",
                outline=gold_dark,
                width=2,
            )
        d.ellipse((355, 425, 445, 515), fill="#f4e5bd", outline=gold, width=6)
        for i in range(12):
            a = math.radians(i * 30)
            d.line(
                [(400 + 36 * math.sin(a), 470 - 36 * math.cos(a)), (400 + 42 * math.sin(a), 470 - 42 * math.cos(a))],
                fill="#3a0815",
                width=3,
            )
        d.line([(400, 470), (400, 440)], fill="#22040b", width=6)  # both hands on twelve
        d.line([(400, 470), (400, 432)], fill="#22040b", width=3)
        d.ellipse((395, 465, 405, 475), fill=gold)
        d.rectangle((318, 900, 482, H), fill="#ffcf78")  # lit doorway
        d.polygon([(230, 900), (570, 900), (545, 852), (255, 852)], fill=gold)
        person(d, 384, 1012, 104, "#2a0510")
        person(d, 416, 1012, 96, "#2a0510", dress=True, lean=-0.3)

    layer(img, facade)
    glow(img, 400, 960, 130, "#ffcf78", 90)
    mask, _ = text_mask([Line("THE GRAND", font("serif_bold", 30), 9)], 400, 865)
    fill_mask(img, mask, "#3a0815")
    scrim(img, 990, 1100, "#12010a", 230)

    def frame(d):
        for inset, w in ((22, 3), (34, 1)):
            d.rectangle((inset, inset, W - inset, H - inset), outline=gold, width=w)
        for cx, cy in ((22, 22), (W - 22, 22), (22, H - 22), (W - 22, H - 22)):
            for k, s in enumerate((22, 14, 7)):
                d.rectangle(
                    (cx - s, cy - s, cx + s, cy + s), fill="#1a0208" if k % 2 == 0 else gold, outline=gold, width=2
                )

    layer(img, frame)

    y = tagline(img, film.tagline, 60, "#e9cf94", size=24)
    metal = span_gradient(y + 24, y + 140, ["#fff4c4", "#e0bb55", "#9c7424"])
    y = paint_text(
        img,
        [fit_line("MIDNIGHT", "serif", W - 110, 120, 0.14, gap=20)],
        W / 2,
        y + 26,
        metal,
        shadow=(0, 4, 6, "#000000", 200),
    )
    small = fit_line("AT THE GRAND", "serif", 360, 34, 0.45)
    sw = text_width(small.text, small.font, small.tracking)
    paint_text(img, [small], W / 2, y, gold)
    layer(
        img,
        lambda d: [
            d.line([(x0, y + 14), (x1, y + 14)], fill=gold, width=2)
            for x0, x1 in ((70, W / 2 - sw / 2 - 20), (W / 2 + sw / 2 + 20, W - 70))
        ],
    )


def helicopter(d, x, y, colour):
    d.ellipse((x - 38, y - 18, x + 30, y + 20), fill=colour)  # cabin
    d.polygon([(x + 20, y - 6), (x + 120, y - 2), (x + 120, y + 4), (x + 20, y + 10)], fill=colour)  # tail boom
    d.polygon([(x + 112, y - 20), (x + 124, y - 20), (x + 124, y + 4), (x + 116, y + 4)], fill=colour)  # tail fin
    d.line([(x - 110, y - 30), (x + 100, y - 24)], fill=colour, width=3)  # main rotor
    d.rectangle((x - 4, y - 30, x + 4, y - 18), fill=colour)
    for sx in (-22, 16):
        d.line([(x + sx, y + 18), (x + sx - 4, y + 28)], fill=colour, width=3)
    d.line([(x - 40, y + 28), (x + 30, y + 28)], fill=colour, width=3)  # skids


def iron_meridian(img, film, rng):
    red = "#e0262c"
    img.paste(vgradient([(0, "#13171b"), (0.25, "#2c333a"), (0.47, "#69727a"), (0.55, "#8f979c"), (1, "#8f979c")]))
    blobs(img, rng, 30, (-100, 0, W + 100, 480), "#aab2b8", (20, 50), (80, 200), (20, 50), 24)
    blobs(img, rng, 30, (-100, -60, W + 100, 380), "#0f1317", (60, 140), (90, 200), (30, 70), 30)
    layer(img, lambda d: hill(d, ridge(rng, 610, 35, jitter=4), "#59626a"))
    layer(img, lambda d: hill(d, ridge(rng, 660, 30, jitter=6), "#3b4249"))
    blobs(img, rng, 12, (150, 900, 650, 1150), "#c5ccd0", (30, 60), (80, 160), (20, 50), 26)

    def cliffs(d):
        d.polygon([(-10, 640), (120, 672), (190, 760), (215, 900), (265, H + 10), (-10, H + 10)], fill="#1a1e22")
        d.polygon([(W + 10, 550), (700, 592), (640, 720), (600, 880), (560, H + 10), (W + 10, H + 10)], fill="#171b1f")
        for _ in range(40):
            x, y = rng.uniform(0, 230), rng.uniform(700, H)
            d.line([(x, y), (x + rng.uniform(15, 40), y + rng.uniform(-6, 6))], fill="#2b3137", width=2)
            x = rng.uniform(590, W)
            d.line([(x, y), (x + rng.uniform(15, 40), y + rng.uniform(-6, 6))], fill="#272d33", width=2)

    layer(img, cliffs)

    deck = lambda x: 680 - (x + 40) * 180 / 880  # the bridge climbs to the right
    truss_h, car_h = 112, 60

    def piers(d):
        for px in (250, 540):
            d.polygon([(px - 24, deck(px) + 4), (px + 24, deck(px) + 4), (px + 40, H), (px - 40, H)], fill="#202428")
            d.line([(px - 24, deck(px) + 4), (px - 40, H)], fill="#3c434a", width=3)

    layer(img, piers)

    def train(d):
        x, front = 20, 640
        while x < front - 20:
            x1 = min(x + 118, front)
            nose = x1 == front
            top_r = x1 - (26 if nose else 0)
            d.polygon(
                [(x, deck(x) - 6), (x1, deck(x1) - 6), (top_r, deck(top_r) - car_h), (x, deck(x) - car_h)],
                fill="#2b3036",
            )
            d.line([(x + 4, deck(x) - 22), (x1 - 6, deck(x1 - 6) - 22)], fill=red, width=7)
            for wx in range(int(x) + 12, int(top_r) - 14, 20):
                d.polygon(
                    [
                        (wx, deck(wx) - 50),
                        (wx + 12, deck(wx + 12) - 50),
                        (wx + 12, deck(wx + 12) - 36),
                        (wx, deck(wx) - 36),
                    ],
                    fill="#c7d0d6",
                )
            x = x1 + 7
        d.polygon([(front, deck(front) - 18), (W + 60, deck(W) - 70), (W + 60, deck(W) + 40)], fill=rgba("#fff6e0", 45))

    lay, d = new_layer()
    train(d)
    img.alpha_composite(lay)
    glow(img, 636, deck(636) - 18, 16, "#ffffff", 255, blur=6)
    glow(img, 636, deck(636) - 18, 70, "#fff2d0", 120)
    glow(img, 22, deck(22) - 18, 24, red, 200, blur=10)
    # A helicopter pinning the train in its searchlight.
    hx, hy = 560, 250
    layer(
        img,
        lambda d: d.polygon(
            [(hx - 6, hy + 14), (hx + 6, hy + 14), (520, deck(420) - 10), (330, deck(330) - 10)],
            fill=rgba("#f4f1e4", 55),
        ),
        blur=12,
    )
    glow(img, 420, deck(420) - 30, 90, "#f4f1e4", 70)
    layer(img, lambda d: helicopter(d, hx, hy, rgba("#0d1013")))

    def truss(d):
        col = "#101316"
        d.line([(-40, deck(-40)), (W + 40, deck(W + 40))], fill=col, width=12)
        d.line([(-40, deck(-40) - truss_h), (W + 40, deck(W + 40) - truss_h)], fill=col, width=9)
        xs = list(range(-40, W + 80, 72))
        for i, x in enumerate(xs):
            d.line([(x, deck(x)), (x, deck(x) - truss_h)], fill=col, width=5)
            if i + 1 < len(xs):  # Warren truss: diagonals alternate direction
                x2 = xs[i + 1]
                a, b = ((x, deck(x)), (x2, deck(x2) - truss_h)) if i % 2 else ((x, deck(x) - truss_h), (x2, deck(x2)))
                d.line([a, b], fill=col, width=5)

    layer(img, truss)

    def speed(d):
        for _ in range(70):
            x, off, ln = rng.uniform(-100, W), rng.uniform(-130, 10), rng.uniform(60, 220)
            d.line(
                [(x, deck(x) + off), (x + ln, deck(x + ln) + off)], fill=rgba("#dfe6ea", rng.uniform(15, 45)), width=2
            )

    layer(img, speed, blur=1)
    scrim(img, 700, 960, "#06080a", 225)

    cast_line(img, film, 48, "#e6ebee", align="left", x=56)
    tagline(img, film.tagline.upper(), 92, "#c8d0d5", role="narrow_bold", size=24, tracking_em=0.2, align="left", x=56)
    y = paint_text(
        img,
        [fit_line("IRON", "narrow_bold", 300, 150, 0.04, gap=14)],
        52,
        740,
        "#f2f4f5",
        align="left",
        shadow=(0, 5, 10, "#000000", 220),
    )
    y = paint_text(
        img,
        [fit_line("MERIDIAN", "narrow_bold", W - 104, 150, 0.04)],
        52,
        y,
        red,
        align="left",
        shadow=(0, 5, 10, "#000000", 230),
    )
    layer(img, lambda d: d.rectangle((56, y + 18, 56 + 160, y + 24), fill=rgba(red)))


def whispers_in_the_pines(img, film, rng):
    img.paste(vgradient([(0, "#020405"), (0.22, "#0a1416"), (0.42, "#1a2c2c"), (0.62, "#0d1718"), (1, "#020303")]))
    mx, my = 540, 330
    glow(img, mx, my, 330, "#9fb6aa", 55)
    glow(img, mx, my, 150, "#c9d6c4", 110)

    def moon(d):
        d.ellipse((mx - 92, my - 92, mx + 92, my + 92), fill=rgba("#e8ecd9"))

    layer(img, moon)
    blobs(img, rng, 7, (mx - 70, my - 70, mx + 70, my + 70), "#a7af98", (40, 80), (10, 26), (10, 24), 6)
    blobs(img, rng, 8, (mx - 300, my - 40, mx + 200, my + 90), "#050a0b", (120, 180), (90, 180), (10, 22), 12)
    stars(img, rng, 60, 120, 420, "#d8e4dc", 120)

    layer(img, lambda d: pine_row(d, rng, 760, (120, 240), 0.42, (24, 44), rgba("#1d2c2c")))
    blobs(img, rng, 26, (-100, 690, W + 100, 800), "#b9c9c0", (20, 45), (90, 200), (20, 45), 26)
    layer(img, lambda d: pine_row(d, rng, 880, (240, 420), 0.4, (40, 70), rgba("#0c1415")))
    blobs(img, rng, 26, (-100, 820, W + 100, 950), "#a9bab2", (25, 50), (90, 200), (20, 45), 30)

    def foreground(d):
        d.polygon([(-10, 930), (300, 915), (520, 925), (W + 10, 905), (W + 10, H + 10), (-10, H + 10)], fill="#020303")
        person(d, 410, 918, 64, "#030505")
        for x, h, w in ((-40, 1150, 320), (60, 980, 220), (760, 1120, 300), (840, 900, 240)):
            pine(d, rng, x, H + 30, h, w, "#010202")

    layer(img, foreground)
    blobs(img, rng, 10, (-100, 960, W + 100, 1040), "#8a9a93", (12, 26), (120, 220), (14, 30), 30)

    tagline(img, film.tagline, 66, "#9fada5", size=25)
    lines = [
        fit_line("WHISPERS", "serif", W - 120, 100, 0.22, gap=22),
        fit_line("IN  THE  PINES", "serif", 380, 30, 0.5),
    ]
    # A faint, blurred double of the title reads as an echo / whisper.
    for dx in (-7, 7):
        ghost, _ = text_mask(lines, W / 2 + dx, 886)
        fill_mask(img, ghost.filter(ImageFilter.GaussianBlur(3)), "#c9d4c8", 0.18)
    paint_text(img, lines, W / 2, 886, "#dde2d2", shadow=(0, 3, 8, "#000000", 255))


def island_outline(rng, cx, cy, r, n=140):
    harmonics = [(k, rng.uniform(0.06, 0.3) / k, rng.uniform(0, math.tau)) for k in range(2, 9)]
    pts = []
    for i in range(n):
        a = math.tau * i / n
        rr = r * (1 + sum(amp * math.sin(k * a + ph) for k, amp, ph in harmonics))
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a) * 0.8))
    return pts


def compass_rose(d, cx, cy, r, ink, light, accent):
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ink, width=3)
    d.ellipse((cx - r * 0.9, cy - r * 0.9, cx + r * 0.9, cy + r * 0.9), outline=ink, width=2)
    for i in range(72):
        a = math.radians(i * 5)
        r0 = r * (0.9 if i % 2 else 0.87)
        d.line(
            [(cx + r0 * math.cos(a), cy + r0 * math.sin(a)), (cx + r * math.cos(a), cy + r * math.sin(a))],
            fill=ink,
            width=2,
        )
    d.ellipse((cx - r * 0.34, cy - r * 0.34, cx + r * 0.34, cy + r * 0.34), outline=ink, width=2)
    # Minor, then diagonal, then cardinal points so the big ones sit on top.
    for every, length, half in ((1, 0.5, 0.05), (2, 0.72, 0.08), (4, 1.0, 0.11)):
        for i in range(0, 16, every):
            if every == 1 and i % 2 == 0 or every == 2 and i % 4 == 0:
                continue
            a = math.radians(i * 22.5 - 90)
            tip = (cx + r * length * math.cos(a), cy + r * length * math.sin(a))
            side = [
                (cx + r * half * math.cos(a + s * math.pi / 2), cy + r * half * math.sin(a + s * math.pi / 2))
                for s in (-1, 1)
            ]
            dark = accent if i == 0 else ink
            d.polygon([(cx, cy), tip, side[0]], fill=dark, outline=ink)
            d.polygon([(cx, cy), tip, side[1]], fill=light, outline=ink)
    d.ellipse((cx - 9, cy - 9, cx + 9, cy + 9), fill=light, outline=ink, width=2)


def the_cartographers_daughter(img, film, rng):
    ink, rust, paper = "#3e2816", "#8e2f17", "#ecdcb2"
    img.paste(Image.new("RGBA", (W, H), rgba(paper)))
    blobs(img, rng, 30, (0, 0, W, H), "#b88d52", (15, 45), (30, 140), (30, 140), 40)
    blobs(img, rng, 18, (0, 0, W, H), "#fff6dc", (20, 50), (40, 120), (40, 120), 40)

    def fibres(d):
        for _ in range(700):
            x, y, a = rng.uniform(0, W), rng.uniform(0, H), rng.uniform(0, math.pi)
            ln = rng.uniform(4, 16)
            d.line(
                [(x, y), (x + ln * math.cos(a), y + ln * math.sin(a))],
                fill=rgba("#7a5a34", rng.uniform(10, 30)),
                width=1,
            )

    layer(img, fibres)

    def grid(d):
        for x in range(60, W, 110):
            d.line([(x, 0), (x + 30, H)], fill=rgba(ink, 45), width=1)
        for y in range(80, H, 110):
            d.line([(0, y), (W, y - 20)], fill=rgba(ink, 45), width=1)
        # Map neatline with alternating scale bar segments.
        d.rectangle((28, 28, W - 28, H - 28), outline=rgba(ink, 200), width=2)
        d.rectangle((38, 38, W - 38, H - 38), outline=rgba(ink, 200), width=1)
        for i, x in enumerate(range(38, W - 38, 24)):
            if i % 2 == 0:
                d.rectangle((x, 28, x + 24, 38), fill=rgba(ink, 170))
                d.rectangle((x, H - 38, x + 24, H - 28), fill=rgba(ink, 170))
        for i, y in enumerate(range(38, H - 38, 24)):
            if i % 2 == 0:
                d.rectangle((28, y, 38, y + 24), fill=rgba(ink, 170))
                d.rectangle((W - 38, y, W - 28, y + 24), fill=rgba(ink, 170))

    layer(img, grid)

    islands = [(150, 880, 140), (670, 500, 105), (690, 950, 70), (120, 430, 55)]

    def land(d):
        for cx, cy, r in islands:
            pts = island_outline(rng, cx, cy, r)
            for k, a in ((1.24, 40), (1.16, 60), (1.08, 90)):  # coastal ripple lines
                d.line([(cx + (x - cx) * k, cy + (y - cy) * k) for x, y in pts + pts[:1]], fill=rgba(ink, a), width=2)
            d.polygon(pts, fill=rgba("#d9bf86"), outline=rgba(ink), width=3)
            for _ in range(int(r / 14)):
                mx_, my_ = cx + rng.uniform(-r, r) * 0.5, cy + rng.uniform(-r, r) * 0.4
                d.line([(mx_ - 11, my_ + 8), (mx_, my_ - 9), (mx_ + 11, my_ + 8)], fill=rgba(ink, 210), width=2)

    layer(img, land)

    def route(d):
        p0, p1, p2 = (190, 800), (150, 420), (650, 520)
        pts = [
            (
                (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
                (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1],
            )
            for t in (i / 60 for i in range(61))
        ]
        for i in range(0, 60, 2):
            d.line([pts[i], pts[i + 1]], fill=rgba(rust, 230), width=4)
        x, y = p2
        d.line([(x - 14, y - 14), (x + 14, y + 14)], fill=rgba(rust), width=6)
        d.line([(x - 14, y + 14), (x + 14, y - 14)], fill=rgba(rust), width=6)
        # A small ship on the crossing.
        sx, sy = 262, 548
        d.polygon([(sx - 34, sy), (sx + 34, sy), (sx + 22, sy + 16), (sx - 22, sy + 16)], fill=rgba(ink))
        d.line([(sx, sy), (sx, sy - 58)], fill=rgba(ink), width=3)
        d.polygon([(sx + 3, sy - 54), (sx + 3, sy - 8), (sx + 30, sy - 10)], fill=rgba(ink, 220))
        d.polygon([(sx - 3, sy - 46), (sx - 3, sy - 8), (sx - 26, sy - 10)], fill=rgba(ink, 200))

    layer(img, route)

    rose, d = new_layer()
    compass_rose(d, 430, 700, 210, rgba(ink), rgba("#f3e6c4"), rgba(rust))
    img.alpha_composite(scale_alpha(rose, 0.9))
    for letter, (dx, dy) in (("N", (0, -1)), ("E", (1, 0)), ("S", (0, 1)), ("W", (-1, 0))):
        fnt = font("serif_bold", 34)
        paint_text(img, [Line(letter, fnt)], 430 + dx * 240, 700 + dy * 240 - 14, ink)
    vignette(img, 0.65, "#6a4522")

    y = paint_text(img, [fit_line("The Cartographer\u2019s", "serif_italic", W - 160, 62, gap=18)], W / 2, 70, ink)
    y = paint_text(
        img, [fit_line("DAUGHTER", "serif_bold", W - 120, 118, 0.12)], W / 2, y, ink, shadow=(2, 3, 0, "#c7a46a", 255)
    )

    def ornament(d):
        d.line([(150, y + 24), (W / 2 - 16, y + 24)], fill=rgba(ink), width=2)
        d.line([(W / 2 + 16, y + 24), (W - 150, y + 24)], fill=rgba(ink), width=2)
        d.polygon([(W / 2, y + 14), (W / 2 + 10, y + 24), (W / 2, y + 34), (W / 2 - 10, y + 24)], fill=rgba(rust))

    layer(img, ornament)
    tagline(img, film.tagline, y + 50, ink, size=27, shadow=False)


def crane(d, lights, x, base, h, colour):
    """Ship-to-shore container crane: A-frame legs, a boom out over the water,
    stays from the apex, a hanging cabin and a red warning light."""
    deck = base - h * 0.62
    for lx in (x - 34, x + 34):
        d.line([(lx, base), (lx, deck)], fill=colour, width=7)
    d.line([(x - 34, base - h * 0.3), (x + 34, base - h * 0.3)], fill=colour, width=4)
    d.line([(x - 34, deck), (x + 34, base)], fill=colour, width=3)
    d.rectangle((x - 230, deck - 10, x + 70, deck), fill=colour)  # boom over the water
    apex = (x, base - h)
    d.line([(x - 30, deck), apex, (x + 30, deck)], fill=colour, width=5)
    for end in (x - 225, x - 130, x + 65):
        d.line([apex, (end, deck - 8)], fill=colour, width=2)
    d.rectangle((x - 160, deck, x - 132, deck + 22), fill=colour)
    d.line([(x - 146, deck + 22), (x - 146, deck + 80)], fill=colour, width=2)
    lights.ellipse((apex[0] - 5, apex[1] - 5, apex[0] + 5, apex[1] + 5), fill=rgba("#ff3344"))


def neon_text(img, line: Line, y: float, colour: Colour, core: Colour) -> float:
    """Letters as glowing tubes: only the outline is lit, the inside stays dark."""
    inside, bottom = text_mask([line], W / 2, y)
    tube = ImageChops.subtract(text_mask([line], W / 2, y, stroke=4)[0], inside)
    fill_mask(img, tube.filter(ImageFilter.GaussianBlur(26)), colour, 0.9)
    fill_mask(img, tube.filter(ImageFilter.GaussianBlur(8)), colour, 1.0)
    fill_mask(img, inside, "#0a0512", 0.55)
    fill_mask(img, tube, core)
    return bottom


def neon_harbor(img, film, rng):
    pink, cyan = "#ff2e97", "#22e4ff"
    horizon = 672
    img.paste(vgradient([(0, "#05030c"), (0.3, "#12082a"), (0.5, "#2b0d3a"), (0.56, "#44134a"), (1, "#44134a")]))
    glow(img, 420, horizon, 380, "#c0268a", 70)

    lay, d = new_layer()
    neon_lay, n = new_layer()
    x = -20
    while x < W + 20:  # far city
        w, top = rng.uniform(40, 90), rng.uniform(430, 600)
        d.rectangle((x, top, x + w, horizon), fill=rgba("#160a24"))
        for wy in range(int(top) + 10, horizon - 10, 14):
            for wx in range(int(x) + 6, int(x + w) - 6, 11):
                if rng.random() < 0.13:
                    d.rectangle((wx, wy, wx + 4, wy + 6), fill=rgba(rng.choice([pink, cyan, "#ffd0a0"]), 170))
        x += w + 2
    x = 170
    while x < 620:  # nearer blocks trimmed with neon tubes
        w, top = rng.uniform(50, 90), rng.uniform(520, 610)
        d.rectangle((x, top, x + w, horizon), fill=rgba("#0c0616"))
        tube = rgba(rng.choice([pink, cyan]))
        if rng.random() < 0.6:
            n.line([(x + 4, top + 6), (x + w - 4, top + 6)], fill=tube, width=3)
        if rng.random() < 0.5:
            n.line([(x + 6, top + 18), (x + 6, horizon - 10)], fill=tube, width=3)
        x += w + rng.uniform(20, 70)
    # Gantry cranes and a moored ship give the harbour its silhouette.
    for cx, ch in ((600, 250), (735, 215)):
        crane(d, n, cx, horizon, ch, rgba("#07030c"))
    d.polygon([(250, horizon - 40), (640, horizon - 40), (610, horizon), (280, horizon)], fill=rgba("#07030c"))
    for cx in range(300, 560, 34):
        d.rectangle(
            (cx, horizon - 40 - rng.choice([26, 52, 52, 78]), cx + 30, horizon - 40),
            fill=rgba(rng.choice(["#1b0d2b", "#240f33", "#120822"])),
        )
    # Neon signs on the quay.
    n.rounded_rectangle((40, 470, 190, 540), radius=14, outline=rgba(cyan), width=4)
    n.rounded_rectangle((70, 560, 110, 650), radius=8, outline=rgba(pink), width=4)
    n.line([(200, 600), (260, 600)], fill=rgba(pink), width=4)
    n.line([(600, 640), (760, 640)], fill=rgba(cyan), width=4)
    n.rectangle((660, 560, 720, 600), outline=rgba(pink), width=4)
    sign = Line("BAR", font("sans_bold", 40), 6)
    m, _ = text_mask([sign], 115, 486)
    n.bitmap((0, 0), m, fill=rgba(cyan))
    img.alpha_composite(lay)
    bloom(img, neon_lay, 10, 1.8)

    # Water: mirror the skyline, then shift thin strips sideways for ripples.
    top_band = img.crop((0, 0, W, horizon)).transpose(Image.FLIP_TOP_BOTTOM)
    water = Image.new("RGBA", (W, H - horizon))
    for y in range(0, H - horizon, 3):
        amp = 3 + 34 * (y / (H - horizon)) ** 1.3
        dx = int(amp * math.sin(y * 0.21 + rng.uniform(-0.6, 0.6)) + rng.uniform(-2, 2))
        water.paste(top_band.crop((0, y, W, y + 3)), (dx, y))
    water = water.filter(ImageFilter.GaussianBlur(1.2))
    dark = Image.new("RGBA", water.size, rgba("#06030d"))
    img.paste(Image.blend(water, dark, 0.45), (0, horizon))
    layer(img, lambda d: d.line([(0, horizon), (W, horizon)], fill=rgba("#ff7fc4", 90), width=2), blur=2)

    def ripples(d):
        for _ in range(160):
            y = rng.uniform(horizon + 6, H)
            x, ln = rng.uniform(-20, W), rng.uniform(10, 60) * (1 + (y - horizon) / 300)
            d.line([(x, y), (x + ln, y)], fill=rgba(rng.choice([pink, cyan, "#ffffff"]), rng.uniform(20, 70)), width=2)

    layer(img, ripples)

    # Foreground: a pier with a lamp and a lone figure gives the eye a subject.
    glow(img, 118, 760, 150, "#ff5fb0", 70)
    layer(img, lambda d: d.polygon([(118, 752), (40, 918), (260, 918)], fill=rgba("#ff9fd0", 60)), blur=16)

    def pier(d):
        ink = rgba("#030106")
        d.polygon([(-10, 914), (420, 896), (420, 910), (-10, 936)], fill=ink)
        for px in range(20, 420, 70):
            d.rectangle((px, 905, px + 10, 1000), fill=ink)
        d.line([(118, 915), (118, 752)], fill=ink, width=6)
        d.line([(118, 756), (150, 752)], fill=ink, width=4)
        person(d, 300, 902, 150, ink)

    layer(img, pier)
    lamp, ld = new_layer()
    ld.ellipse((110, 744, 126, 760), fill=rgba("#ffd1ea"))
    bloom(img, lamp, 10, 1.5)

    def rain(d):
        for _ in range(300):
            x, y, ln = rng.uniform(-30, W + 30), rng.uniform(-30, H), rng.uniform(20, 50)
            d.line([(x, y), (x - ln * 0.12, y + ln)], fill=rgba("#d7c4ff", rng.uniform(15, 40)), width=1)

    layer(img, rain)
    scrim(img, 940, 1100, "#04020a", 215)

    cast_line(img, film, 40, "#f3dcef")
    lines = [fit_line("NEON", "sans_bold", 440, 150, 0.12, gap=22), fit_line("HARBOR", "sans_bold", W - 110, 150, 0.12)]
    y = 100
    for line, colour, core in ((lines[0], pink, "#ffe1f0"), (lines[1], cyan, "#e2fbff")):
        y = neon_text(img, line, y, colour, core)
    tagline(img, film.tagline, y + 34, "#f0e6ff", role="sans", size=18, tracking_em=0.25)


def summer_of_the_comet(img, film, rng):
    img.paste(
        vgradient(
            [
                (0, "#0a1331"),
                (0.23, "#252e68"),
                (0.42, "#674a8c"),
                (0.54, "#cf7a8c"),
                (0.62, "#ffb78a"),
                (0.66, "#ffd59c"),
                (1, "#ffd59c"),
            ]
        )
    )
    stars(img, rng, 180, 0, 540, "#ffffff", 230)
    head = (520, 330)
    ang = math.radians(-160)
    lay, d = new_layer()
    # Dust tail: wide, warm and slightly curved; ion tail: straight and blue.
    for k in range(5):
        a = ang + math.radians(-4 + k * 2.2)
        streak(d, head, (math.cos(a), math.sin(a)), 640 - k * 40, 34 - k * 4, "#fff0d6", 90, segments=60, taper=1.2)
    streak(d, head, (math.cos(ang - 0.12), math.sin(ang - 0.12)), 700, 10, "#bfe4ff", 170, segments=60, taper=1.4)
    bloom(img, lay.filter(ImageFilter.GaussianBlur(5)), 20, 1.2)
    glow(img, *head, 70, "#ffffff", 140)
    glow(img, *head, 12, "#ffffff", 255, blur=4)

    far, mid, near = ridge(rng, 745, 22), ridge(rng, 782, 20), ridge(rng, 812, 16)
    layer(img, lambda d: hill(d, far, "#6a4472"))
    layer(img, lambda d: hill(d, mid, "#3a2550"))

    def field(d):
        hill(d, near, "#140c1f")
        for x in range(-10, W + 10, 4):  # grass along the crest
            y = y_on(near, x)
            d.line([(x, y + 4), (x + rng.uniform(-5, 5), y - rng.uniform(4, 22))], fill="#140c1f", width=2)
        fa, fb = 545, 600
        ya, yb = y_on(near, fa), y_on(near, fb)
        person(d, fa, ya + 2, 118, "#140c1f", reach=(fa + 27, ya - 52))
        person(d, fb, yb + 2, 108, "#140c1f", dress=True)
        d.line([(fb - 14, yb - 62), (fa + 27, ya - 52)], fill="#140c1f", width=5)

    layer(img, field)

    fire, f = new_layer()
    for _ in range(26):
        x, y = rng.uniform(30, W - 30), rng.uniform(840, 1020)
        f.ellipse((x - 3, y - 3, x + 3, y + 3), fill=rgba("#ffe38a", rng.uniform(120, 230)))
    bloom(img, fire, 6, 2.0)

    tagline(img, film.tagline, 62, "#f4e6ff", size=26)
    lines = [
        fit_line("Summer", "serif_italic", W - 160, 124, 0.02, gap=12),
        fit_line("OF  THE  COMET", "serif", 460, 36, 0.38),
    ]
    paint_text(
        img,
        lines,
        W / 2,
        852,
        span_gradient(852, 1000, ["#fff6ea", "#ffd3a6"]),
        shadow=(0, 3, 8, "#000000", 180),
        glow=("#ff9ab0", 20, 0.35),
    )


def beneath_the_glacier(img, film, rng):
    navy, orange = "#0c2a47", "#ff6a13"
    img.paste(vgradient([(0, "#8fbcd8"), (0.3, "#cfe5f1"), (0.4, "#eef6fa"), (1, "#eef6fa")]))
    glow(img, 620, 380, 260, "#ffffff", 140)

    # Horizontal strata from the glacier top (~430) down to its foot (~880).
    bands = ["#f4fafd", "#cbe5f2", "#a2d0e8", "#78b6da", "#5599c9", "#3a7bb2", "#245d93"]
    edges = [ridge(rng, 472, 18, x_step=14, jitter=10)]
    for i in range(1, len(bands)):
        edges.append(ridge(rng, 472 + i * 60, 14, x_step=16, jitter=5))

    def glacier(d):
        for i, colour in enumerate(bands):
            hill(d, edges[i], colour)
            d.line(edges[i], fill=rgba("#ffffff", 140), width=2)
        for _ in range(40):  # fractures: a dark crack with a lit lip beside it
            x, y = rng.uniform(0, W), rng.uniform(480, 820)
            pts = [(x, y)]
            for _ in range(rng.randint(2, 4)):
                pts.append((pts[-1][0] + rng.uniform(-6, 6), pts[-1][1] + rng.uniform(10, 24)))
            d.line(pts, fill=rgba("#123a63", rng.uniform(90, 170)), width=2)
            d.line([(px + 3, py) for px, py in pts], fill=rgba("#ffffff", 90), width=1)

    layer(img, glacier)

    # Ice cave: an arch filled with a gradient that darkens into the glacier.
    arch = Image.new("L", (W, H))
    cx, cy, rx, ry = 300, 820, 105, 115
    mouth = [
        (cx + rx * math.cos(a) * rng.uniform(0.9, 1.06), cy + ry * math.sin(a) * rng.uniform(0.9, 1.06))
        for a in (math.pi + math.pi * i / 24 for i in range(25))
    ]
    ImageDraw.Draw(arch).polygon([(cx - rx - 30, 925)] + mouth + [(cx + rx + 24, 925)], fill=255)
    fill_mask(img, arch, span_gradient(700, 900, ["#0f4a7e", "#06223e", "#02101f"]))
    rim = ImageChops.subtract(arch.filter(ImageFilter.MaxFilter(7)), arch)
    fill_mask(img, rim.filter(ImageFilter.GaussianBlur(2)), "#e8f6ff", 0.8)

    snow = ridge(rng, 900, 10, x_step=30)
    layer(img, lambda d: hill(d, snow, "#f3f9fc"))
    blobs(img, rng, 14, (-50, 930, W + 50, 1060), "#b7d3e4", (40, 90), (80, 200), (8, 20), 14)

    def camp(d):
        tx, ty = 520, 982
        for i in range(14):  # footprints toward the cave
            fx, fy = tx - 40 - i * 17, ty - 8 - i * 4.5 + (i % 2) * 5
            d.ellipse((fx - 2, fy - 1.5, fx + 2, fy + 1.5), fill=rgba("#8fb0c6"))
        d.polygon([(tx - 24, ty), (tx + 24, ty), (tx + 4, ty - 28), (tx - 4, ty - 28)], fill=rgba(orange))
        d.polygon([(tx, ty), (tx + 24, ty), (tx + 4, ty - 28)], fill=rgba("#c44a0a"))
        d.line([(tx + 40, ty + 2), (tx + 40, ty - 40)], fill=rgba(navy), width=2)
        d.polygon([(tx + 41, ty - 40), (tx + 58, ty - 35), (tx + 41, ty - 30)], fill=rgba("#d7263d"))
        person(d, tx - 40, ty + 2, 30, rgba(navy))

    layer(img, camp)

    laurel(img, 235, 108, ["OFFICIAL SELECTION", "NORTHREACH", "FILM FESTIVAL"], navy, 1.15)
    laurel(img, 565, 108, ["WINNER", "AUDIENCE AWARD", "KESTREL BAY DOCS"], navy, 1.15)
    y = paint_text(img, [fit_line("BENEATH THE", "sans", 380, 40, 0.42, gap=14)], W / 2, 246, navy)
    y = paint_text(img, [fit_line("GLACIER", "sans_bold", W - 120, 130, 0.14)], W / 2, y, navy)
    tagline(img, film.tagline, y + 22, "#264a6b", size=25, shadow=False)


def draw_gear(d, cx, cy, r, colour, teeth=8):
    for i in range(teeth):
        a = math.tau * i / teeth
        pts = [(cx + r * 1.25 * math.cos(a + s), cy + r * 1.25 * math.sin(a + s)) for s in (-0.16, 0.16)]
        pts += [(cx + r * 0.8 * math.cos(a + s), cy + r * 0.8 * math.sin(a + s)) for s in (0.25, -0.25)]
        d.polygon(pts, fill=colour)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    d.ellipse((cx - r * 0.4, cy - r * 0.4, cx + r * 0.4, cy + r * 0.4), fill=(0, 0, 0, 0))


def robo_rascals(img, film, rng):
    navy, red, yellow, blue = "#1b2a4a", "#e63946", "#ffd43b", "#1c7ed6"
    img.paste(Image.new("RGBA", (W, H), rgba(blue)))

    def sunburst(d):
        ox, oy = 400, 700
        for i in range(0, 360, 15):
            a0, a1 = math.radians(i), math.radians(i + 7.5)
            d.polygon(
                [
                    (ox, oy),
                    (ox + 1600 * math.cos(a0), oy + 1600 * math.sin(a0)),
                    (ox + 1600 * math.cos(a1), oy + 1600 * math.sin(a1)),
                ],
                fill=rgba("#4dabf7"),
            )

    layer(img, sunburst)
    glow(img, 400, 700, 300, "#ffffff", 90)

    def confetti(d):
        for _ in range(90):
            x, y, s = rng.uniform(0, W), rng.uniform(0, 1000), rng.uniform(5, 12)
            c = rgba(rng.choice([red, yellow, "#ffffff", "#2f9e44"]))
            if rng.random() < 0.5:
                d.ellipse((x - s / 2, y - s / 2, x + s / 2, y + s / 2), fill=c)
            else:
                a = rng.uniform(0, math.pi)
                d.line([(x, y), (x + s * 1.6 * math.cos(a), y + s * 1.6 * math.sin(a))], fill=c, width=5)
        for gx, gy, gr in ((92, 720, 34), (690, 470, 26), (715, 640, 38)):
            draw_gear(d, gx, gy, gr, rgba("#ffffff", 150))

    layer(img, confetti)

    ground = ridge(rng, 960, 12, x_step=40)
    layer(img, lambda d: hill(d, ground, yellow))
    layer(img, lambda d: hill(d, [(x, y + 26) for x, y in ground], "#fab005"))
    layer(img, lambda d: d.ellipse((250, 948, 550, 992), fill=rgba(navy, 110)), blur=8)

    def robot(d):
        o = dict(outline=navy, width=7)
        for fx in (330, 470):  # feet
            d.rounded_rectangle((fx - 52, 910, fx + 52, 968), radius=26, fill=blue, **o)
        d.line([(260, 720), (170, 590)], fill=navy, width=30)  # waving arm
        d.line([(260, 720), (170, 590)], fill="#adb5bd", width=16)
        d.line([(540, 730), (640, 820)], fill=navy, width=30)
        d.line([(540, 730), (640, 820)], fill="#adb5bd", width=16)
        d.ellipse((138, 540, 202, 604), fill=yellow, **o)
        d.ellipse((610, 790, 674, 854), fill=yellow, **o)
        d.ellipse((230, 560, 570, 900), fill=red, **o)  # body
        d.ellipse((270, 590, 390, 680), fill="#ff6b75")  # highlight
        d.ellipse((330, 690, 470, 830), fill="#f1f3f5", **o)  # belly panel
        for bx, c in ((370, yellow), (400, blue), (430, "#2f9e44")):
            d.ellipse((bx - 11, 735, bx + 11, 757), fill=c, outline=navy, width=4)
        d.rounded_rectangle((370, 775, 430, 795), radius=8, fill=navy)
        d.line([(400, 400), (400, 340)], fill=navy, width=8)  # antenna
        d.ellipse((378, 312, 422, 356), fill=yellow, **o)
        d.ellipse((254, 450, 296, 520), fill=blue, **o)  # ears
        d.ellipse((504, 450, 546, 520), fill=blue, **o)
        d.rounded_rectangle((280, 395, 520, 585), radius=50, fill="#f1f3f5", **o)
        d.rounded_rectangle((305, 420, 495, 560), radius=36, fill=navy)  # face screen
        for ex in (355, 445):
            d.ellipse((ex - 26, 450, ex + 26, 502), fill="#66f0ff")
            d.ellipse((ex - 12, 462, ex + 12, 486), fill=navy)
            d.ellipse((ex - 4, 458, ex + 8, 470), fill="#ffffff")
        d.arc((360, 480, 440, 540), 20, 160, fill="#66f0ff", width=7)
        d.ellipse((318, 508, 338, 524), fill="#ff8fa3")
        d.ellipse((462, 508, 482, 524), fill="#ff8fa3")

    layer(img, robot)
    glow(img, 400, 334, 40, "#fff3a0", 150)

    # Title on its own layer so it can be tilted for a playful feel.
    title, _ = new_layer()
    lines = [fit_line("ROBO", "sans_bold", 420, 150, 0.04, gap=6), fit_line("RASCALS", "sans_bold", W - 130, 150, 0.04)]
    y = paint_text(
        title,
        lines,
        W / 2,
        70,
        span_gradient(70, 300, ["#fff3a0", yellow, "#fcc419"]),
        stroke=(12, navy),
        shadow=(0, 12, 0, red, 255),
    )
    img.alpha_composite(title.rotate(4, resample=Image.BICUBIC, center=(W / 2, 190)))

    pill_w = text_width(film.tagline.upper(), font("sans_bold", 20), 3) + 50
    layer(
        img,
        lambda d: d.rounded_rectangle((W / 2 - pill_w / 2, 1000, W / 2 + pill_w / 2, 1044), radius=22, fill=rgba(navy)),
    )
    paint_text(img, [Line(film.tagline.upper(), font("sans_bold", 20), 3)], W / 2, 1013, "#ffffff")


def spiral_galaxy(rng, size=800) -> Image.Image:
    lay = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(lay)
    c = size / 2
    b = math.log(22) / 11  # r grows ~22x over 3.5 turns
    r0 = size * 0.019
    for arm in (0, math.pi):
        for _ in range(3000):
            t = rng.random() ** 0.8 * 11
            r = r0 * math.exp(b * t)
            spread = 0.08 + r * 0.0009
            a = t + arm + rng.gauss(0, spread * 2.2)
            rr = r * (1 + rng.gauss(0, spread))
            x, y = c + rr * math.cos(a), c + rr * math.sin(a)
            s = rng.choice([0.8, 1, 1.2, 1.6, 2.2])
            col = mix(rgb("#ffe7c4"), rgb("#9fc4ff"), min(1, r / (size * 0.28)))
            d.ellipse((x - s, y - s, x + s, y + s), fill=(*col, int(rng.uniform(60, 220))))
    core = Image.new("RGBA", lay.size, (0, 0, 0, 0))
    cd = ImageDraw.Draw(core)
    for rad, a in ((size * 0.14, 70), (size * 0.075, 150), (size * 0.032, 255)):
        cd.ellipse((c - rad, c - rad, c + rad, c + rad), fill=(255, 236, 205, a))
    core = core.filter(ImageFilter.GaussianBlur(size * 0.033))
    lay = lay.filter(ImageFilter.GaussianBlur(1.1))
    glow_lay = lay.filter(ImageFilter.GaussianBlur(10))
    out = Image.new("RGBA", lay.size, (0, 0, 0, 0))
    for part in (glow_lay, lay, core):
        out.alpha_composite(part)
    # Tilt the disc: squash vertically, then rotate.
    return out.resize((size, int(size * 0.42)), Image.LANCZOS).rotate(-22, expand=True, resample=Image.BICUBIC)


def astronaut(d, x, foot, h, colour):
    u = h / 10
    d.rounded_rectangle(
        (x - 2.1 * u, foot - 8.0 * u, x + 2.1 * u, foot - 4.6 * u), radius=u * 0.8, fill=colour
    )  # backpack
    d.ellipse((x - 1.5 * u, foot - 10 * u, x + 1.5 * u, foot - 7.0 * u), fill=colour)  # helmet
    d.rounded_rectangle((x - 1.9 * u, foot - 7.6 * u, x + 1.9 * u, foot - 3.8 * u), radius=u, fill=colour)  # torso
    d.line(
        [(x - 1.8 * u, foot - 6.9 * u), (x - 2.7 * u, foot - 4.6 * u), (x - 2.5 * u, foot - 3.6 * u)],
        fill=colour,
        width=round(u * 1.1),
        joint="curve",
    )
    d.line(
        [(x + 1.8 * u, foot - 6.9 * u), (x + 2.9 * u, foot - 7.4 * u), (x + 3.4 * u, foot - 8.6 * u)],
        fill=colour,
        width=round(u * 1.1),
        joint="curve",
    )  # raised arm
    d.line([(x - 0.9 * u, foot - 4.2 * u), (x - 1.3 * u, foot - 0.5 * u)], fill=colour, width=round(u * 1.35))
    d.line([(x + 0.9 * u, foot - 4.2 * u), (x + 1.2 * u, foot - 0.5 * u)], fill=colour, width=round(u * 1.35))
    d.rounded_rectangle((x - 2.1 * u, foot - 0.9 * u, x - 0.5 * u, foot), radius=u * 0.3, fill=colour)
    d.rounded_rectangle((x + 0.5 * u, foot - 0.9 * u, x + 2.1 * u, foot), radius=u * 0.3, fill=colour)


def echoes_of_andromeda(img, film, rng):
    img.paste(vgradient([(0, "#010208"), (0.4, "#0a0a26"), (0.7, "#160c33"), (1, "#05030d")]))
    blobs(img, rng, 16, (0, 200, W, 800), "#5b2a8c", (25, 60), (120, 260), (60, 160), 60)
    blobs(img, rng, 12, (0, 100, W, 700), "#1f5fa8", (20, 45), (100, 220), (60, 160), 60)
    stars(img, rng, 650, 0, 920, "#e8eeff", 240, fade_down=False, bloom_r=2)

    bright, d = new_layer()
    for _ in range(9):  # a few glinting foreground stars
        x, y = rng.uniform(30, W - 30), rng.uniform(40, 820)
        d.line([(x - 14, y), (x + 14, y)], fill=rgba("#ffffff", 200), width=2)
        d.line([(x, y - 14), (x, y + 14)], fill=rgba("#ffffff", 200), width=2)
        d.ellipse((x - 3, y - 3, x + 3, y + 3), fill=rgba("#ffffff"))
    bloom(img, bright, 5, 1.2)

    gal = spiral_galaxy(rng, 1200)
    img.alpha_composite(gal, (round(420 - gal.width / 2), round(420 - gal.height / 2)))

    ground = ridge(rng, 850, 26, x_step=16, jitter=3)
    rim = [(x, y - 3) for x, y in ground]
    layer(img, lambda d: d.line(rim, fill=rgba("#8fa8ff", 200), width=3), blur=2)

    def foreground(d):
        hill(d, ground, "#030309")
        ax = 330
        astronaut(d, ax + 2, y_on(ground, ax) + 6, 200, rgba("#7f95e6", 170))  # rim light
        astronaut(d, ax, y_on(ground, ax) + 6, 200, rgba("#030309"))

    layer(img, foreground)
    scrim(img, 900, 1080, "#000000", 150)

    cast_line(img, film, 40, "#d6dcff", size=20)
    tagline(img, film.tagline.upper(), 84, "#c9d0f5", role="sans", size=17, tracking_em=0.25)
    lines = [
        fit_line("ECHOES", "sans_light", W - 160, 112, 0.32, gap=20),
        fit_line("OF  ANDROMEDA", "sans_light", 500, 38, 0.42),
    ]
    paint_text(img, lines, W / 2, 884, "#f2f4ff", glow=("#7f95ff", 16, 0.7), shadow=(0, 3, 6, "#000000", 200))


# --------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------


@dataclass
class Film:
    slug: str
    title: str
    genres: tuple[str, ...]
    tagline: str
    paint: Callable[[Image.Image, "Film", random.Random], None]
    studio: str
    production: str
    billing_colour: Colour = "#d6d9dc"
    cta: str = "COMING SOON TO MOVIEBOOK"
    vignette: float = 0.55
    grain: int = 7
    billing_bottom: int = H - 26


FILMS = [
    Film(
        "the-last-lighthouse",
        "The Last Lighthouse",
        ("Drama", "Mystery"),
        "Some lights are kept for those who never come home.",
        the_last_lighthouse,
        "WILLOWMERE PICTURES",
        "SALTMARSH FILMS",
        "#b9c6cf",
    ),
    Film(
        "starfall-protocol",
        "Starfall Protocol",
        ("Sci-Fi", "Action"),
        "The sky isn't falling. It's being aimed.",
        starfall_protocol,
        "NINEFOLD STUDIOS",
        "REDSHIFT FORGE",
        "#c9dfe2",
        "ONLY IN CINEMAS \u00b7 BOOK ON MOVIEBOOK",
    ),
    Film(
        "paper-lanterns",
        "Paper Lanterns",
        ("Animation", "Family"),
        "Every wish needs someone to carry it home.",
        paper_lanterns,
        "COPPERLEAF ANIMATION",
        "KITEWORKS",
        "#f3d6c0",
        vignette=0.45,
    ),
    Film(
        "midnight-at-the-grand",
        "Midnight at the Grand",
        ("Comedy", "Romance"),
        "One night. One ballroom. Absolutely no plan.",
        midnight_at_the_grand,
        "ORRERY PICTURES",
        "VELVET ROPE PRODUCTIONS",
        "#e3c77e",
        "CHECK IN SOON \u00b7 BOOK ON MOVIEBOOK",
        vignette=0.35,
    ),
    Film(
        "iron-meridian",
        "Iron Meridian",
        ("Action", "Thriller"),
        "No stops. No witnesses. No way back.",
        iron_meridian,
        "BLUEVANE MEDIA",
        "SIGNAL BOX FILMS",
        "#c3cacf",
    ),
    Film(
        "whispers-in-the-pines",
        "Whispers in the Pines",
        ("Horror",),
        "Don't answer when the forest calls your name.",
        whispers_in_the_pines,
        "HOLLOW OAK PICTURES",
        "BLACK TARN",
        "#a9b5ad",
        vignette=0.7,
    ),
    Film(
        "the-cartographers-daughter",
        "The Cartographer's Daughter",
        ("Adventure", "Drama"),
        "Every map she drew led her further from home.",
        the_cartographers_daughter,
        "BRASS COMPASS ENTERTAINMENT",
        "INKWELL & ATLAS",
        "#3e2816",
        vignette=0.0,
        grain=6,
        billing_bottom=H - 52,
    ),
    Film(
        "neon-harbor",
        "Neon Harbor",
        ("Crime", "Thriller"),
        "Every light in this town is for sale.",
        neon_harbor,
        "NIGHTJAR FILMS",
        "TIDEWATER & FINCH",
        "#e2cdea",
        "NOW BOOKING ON MOVIEBOOK",
    ),
    Film(
        "summer-of-the-comet",
        "Summer of the Comet",
        ("Romance", "Drama"),
        "Some things only come around once.",
        summer_of_the_comet,
        "KETTLE HILL PRODUCTIONS",
        "LONG DUSK FILMS",
        "#e7d6ee",
        vignette=0.45,
    ),
    Film(
        "beneath-the-glacier",
        "Beneath the Glacier",
        ("Documentary",),
        "400 metres of ice. 10,000 years of memory.",
        beneath_the_glacier,
        "FIRN & FJORD",
        "COLD LIGHT DOCUMENTARY",
        "#0c2a47",
        vignette=0.25,
        grain=5,
    ),
    Film(
        "robo-rascals",
        "Robo Rascals",
        ("Animation", "Comedy", "Family"),
        "Small bolts. Big trouble.",
        robo_rascals,
        "SPROCKET & SONS ANIMATION",
        "BUTTONWORKS",
        "#1b2a4a",
        vignette=0.2,
        grain=4,
    ),
    Film(
        "echoes-of-andromeda",
        "Echoes of Andromeda",
        ("Sci-Fi", "Drama"),
        "Every signal is a memory. Some of them answer.",
        echoes_of_andromeda,
        "STARGLASS PICTURES",
        "QUIET ORBIT",
        "#c3c9ef",
    ),
]


def render(film: Film) -> Image.Image:
    rng = random.Random(zlib.crc32(film.slug.encode()))
    img = Image.new("RGBA", (W, H), (0, 0, 0, 255))
    film.paint(img, film, rng)
    if film.vignette:
        vignette(img, film.vignette)
    billing_block(img, film, bottom=film.billing_bottom)
    out = img.convert("RGB").resize(OUT_SIZE, Image.LANCZOS)
    return add_grain(out, rng, film.grain)


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for film in FILMS:
        path = OUT_DIR / f"{film.slug}.jpg"
        render(film).save(path, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:.1f} KB")


if __name__ == "__main__":
    main()
