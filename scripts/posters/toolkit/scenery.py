"""Scenery shared by several posters: stars, clouds, horizons, trees, figures, streaks and laurels."""

from __future__ import annotations

import math
from itertools import pairwise

from .canvas import H, W, bloom, layer, new_layer, rgba
from .typography import fit_line, paint_text, text_mask


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
        off = sum(math.sin(x * f + p) / (k + 1) for k, (f, p) in enumerate(zip(freqs, phases, strict=True)))
        pts.append((x, y + amp * off + rng.uniform(-jitter, jitter)))
    return pts


def hill(d, pts, colour, alpha=255):
    d.polygon(pts + [(W + 40, H + 10), (-40, H + 10)], fill=rgba(colour, alpha))


def y_on(pts, x):
    """Height of a ridge polyline at x (linear interpolation)."""
    for (x0, y0), (x1, y1) in pairwise(pts):
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
