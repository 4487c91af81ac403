"""The billing block and the cast line: invented credits drawn from a film's slug.

All names are invented; rare surnames keep clear of real people.
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass

from PIL import Image, ImageDraw

from ..film import Film
from .canvas import Colour, H, W, font
from .typography import Line, fill_mask, fit_line, paint_text, text_mask, text_width

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


def make_credits(film: Film) -> Credits:
    rng = random.Random(zlib.crc32(f"credits:{film.slug}".encode()))
    # Sampling first and last names separately means no repeats within a film.
    firsts, lasts = rng.sample(FIRST_NAMES, 14), rng.sample(LAST_NAMES, 14)
    names = [f"{first} {last}".upper() for first, last in zip(firsts, lasts, strict=True)]
    cast, director, rest = names[:4], names[4], names[5:]
    return Credits(cast, director, [(role, rest.pop()) for role in CREW_ROLES])


def billing_units(film: Film, credits: Credits) -> list[list[tuple[str, bool]]]:
    """Units of (text, is_small) tokens; a unit never breaks across lines."""
    units = [
        [(film.art.studio, False), ("PRESENTS", True)],
        [("IN ASSOCIATION WITH", True), (film.art.production, False)],
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
    for (text, is_small), w in zip(tokens, widths, strict=True):
        d.text((x, 25), text, font=small if is_small else big, fill=255, anchor="ls")
        x += w + space
    return im.resize((max(1, round(im.width * squeeze)), im.height), Image.LANCZOS)


def billing_block(
    img: Image.Image, film: Film, bottom: int = H - 26, width: int = W - 70, squeeze: float = 0.54
) -> float:
    """Draw the credits block and the Moviebook call-to-action; returns its top y."""
    colour = film.art.billing_colour
    cta = Line(film.art.cta, font("sans_bold", 19), tracking=5)
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
    film: Film,
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
