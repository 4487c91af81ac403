"""Painters of the sea at night: The Last Lighthouse and Neon Harbor."""

from __future__ import annotations

import math

from PIL import Image, ImageChops, ImageFilter

from ..toolkit.canvas import Colour, H, W, bloom, font, glow, layer, new_layer, rgba, scrim, span_gradient, vgradient
from ..toolkit.credits import cast_line
from ..toolkit.scenery import blobs, person
from ..toolkit.typography import Line, fill_mask, fit_line, paint_text, tagline, text_mask


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
    def beam(spread, a):
        def paint(d):
            d.polygon(
                [(lx, ly - 7), (lx, ly + 7), (-60, ly + 60 + spread), (-60, ly - 60 - spread)], fill=rgba("#fff3c4", a)
            )

        return paint

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

        def hw(y):  # half the tower's width at height y: it widens towards its foot
            return 30 + 18 * (y - 420) / 360

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

    y = tagline(img, film.art.tagline, 58, "#c3ced6", size=25)
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
    tagline(img, film.art.tagline, y + 34, "#f0e6ff", role="sans", size=18, tracking_em=0.25)
