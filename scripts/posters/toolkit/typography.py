"""Type: lines of text with tracking, masks, fills with shadow, glow and stroke, fitting and wrapping."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from .canvas import H, W, font, rgba


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
