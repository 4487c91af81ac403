"""Painters of bright, festive posters: Paper Lanterns, Midnight at the Grand and Robo Rascals."""

from __future__ import annotations

import math

from PIL import Image, ImageFilter

from ..toolkit.canvas import H, W, font, glow, layer, new_layer, rgba, scrim, span_gradient, vgradient
from ..toolkit.scenery import hill, person, ridge, stars, y_on
from ..toolkit.typography import Line, fill_mask, fit_line, paint_text, tagline, text_mask, text_width


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
    lanterns.sort(key=lambda lantern: lantern[2])  # far (small) ones first

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
    tagline(img, film.art.tagline, y + 30, "#ffe4c4", size=28)


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

    y = tagline(img, film.art.tagline, 60, "#e9cf94", size=24)
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
    paint_text(
        title,
        lines,
        W / 2,
        70,
        span_gradient(70, 300, ["#fff3a0", yellow, "#fcc419"]),
        stroke=(12, navy),
        shadow=(0, 12, 0, red, 255),
    )
    img.alpha_composite(title.rotate(4, resample=Image.BICUBIC, center=(W / 2, 190)))

    pill_w = text_width(film.art.tagline.upper(), font("sans_bold", 20), 3) + 50
    layer(
        img,
        lambda d: d.rounded_rectangle((W / 2 - pill_w / 2, 1000, W / 2 + pill_w / 2, 1044), radius=22, fill=rgba(navy)),
    )
    paint_text(img, [Line(film.art.tagline.upper(), font("sans_bold", 20), 3)], W / 2, 1013, "#ffffff")
