"""Painters of the sky: Starfall Protocol, Summer of the Comet and Echoes of Andromeda."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw, ImageFilter

from ..toolkit.canvas import H, W, bloom, glow, layer, mix, new_layer, rgb, rgba, scrim, span_gradient, vgradient
from ..toolkit.credits import cast_line
from ..toolkit.scenery import blobs, hill, person, ridge, stars, streak, y_on
from ..toolkit.typography import fit_line, paint_text, tagline


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
    tagline(img, film.art.tagline, 92, "#fbe3c8", role="sans", size=18, tracking_em=0.25)
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

    tagline(img, film.art.tagline, 62, "#f4e6ff", size=26)
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
    tagline(img, film.art.tagline.upper(), 84, "#c9d0f5", role="sans", size=17, tracking_em=0.25)
    lines = [
        fit_line("ECHOES", "sans_light", W - 160, 112, 0.32, gap=20),
        fit_line("OF  ANDROMEDA", "sans_light", 500, 38, 0.42),
    ]
    paint_text(img, lines, W / 2, 884, "#f2f4ff", glow=("#7f95ff", 16, 0.7), shadow=(0, 3, 6, "#000000", 200))
