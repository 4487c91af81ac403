"""Painters of hard country: Iron Meridian, Whispers in the Pines and Beneath the Glacier."""

from __future__ import annotations

import math

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from ..toolkit.canvas import H, W, glow, layer, new_layer, rgba, scrim, span_gradient, vgradient
from ..toolkit.credits import cast_line
from ..toolkit.scenery import blobs, hill, laurel, person, pine, pine_row, ridge, stars
from ..toolkit.typography import fill_mask, fit_line, paint_text, tagline, text_mask


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

    def deck(x):  # the bridge climbs to the right
        return 680 - (x + 40) * 180 / 880

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
    tagline(
        img, film.art.tagline.upper(), 92, "#c8d0d5", role="narrow_bold", size=24, tracking_em=0.2, align="left", x=56
    )
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

    tagline(img, film.art.tagline, 66, "#9fada5", size=25)
    lines = [
        fit_line("WHISPERS", "serif", W - 120, 100, 0.22, gap=22),
        fit_line("IN  THE  PINES", "serif", 380, 30, 0.5),
    ]
    # A faint, blurred double of the title reads as an echo / whisper.
    for dx in (-7, 7):
        ghost, _ = text_mask(lines, W / 2 + dx, 886)
        fill_mask(img, ghost.filter(ImageFilter.GaussianBlur(3)), "#c9d4c8", 0.18)
    paint_text(img, lines, W / 2, 886, "#dde2d2", shadow=(0, 3, 8, "#000000", 255))


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
    tagline(img, film.art.tagline, y + 22, "#264a6b", size=25, shadow=False)
