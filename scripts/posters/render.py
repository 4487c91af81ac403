"""Render every film of the demo catalogue into ``assets/posters/<slug>.jpg``."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

from PIL import Image

from .catalogue import films
from .film import Film
from .toolkit.canvas import OUT_SIZE, H, W, add_grain, to_jpeg, vignette
from .toolkit.credits import billing_block

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "assets" / "posters"


def render(film: Film) -> Image.Image:
    """Paint, finish and downsample one poster. All randomness comes from the slug."""
    rng = random.Random(zlib.crc32(film.slug.encode()))
    img = Image.new("RGBA", (W, H), (0, 0, 0, 255))
    film.art.paint(img, film, rng)
    if film.art.vignette:
        vignette(img, film.art.vignette)
    billing_block(img, film, bottom=film.art.billing_bottom)
    out = img.convert("RGB").resize(OUT_SIZE, Image.LANCZOS)
    return add_grain(out, rng, film.art.grain)


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for film in films():
        path = OUT_DIR / film.file_name
        path.write_bytes(to_jpeg(render(film)))
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:.1f} KB")
