"""The painter of The Cartographer's Daughter: an old sea chart with a compass rose."""

from __future__ import annotations

import math

from PIL import Image

from ..toolkit.canvas import H, W, font, layer, new_layer, rgba, scale_alpha, vignette
from ..toolkit.scenery import blobs
from ..toolkit.typography import Line, fit_line, paint_text, tagline


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
    tagline(img, film.art.tagline, y + 50, ink, size=27, shadow=False)
