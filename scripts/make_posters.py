#!/usr/bin/env python3
"""Generate poster art for Moviebook's (fictional) film catalogue.

Every poster is drawn from scratch with Pillow -- gradients, shapes and the
system DejaVu / Liberation fonts -- so the repository ships no third-party
artwork and the images can be rebuilt at any time, inside the venv:

    python scripts/make_posters.py

The films (slug, title, genres, ...) are those of moviebook/services/demo_data.py;
the drawing lives in scripts/posters/ (toolkit, painters, and each poster's art).

Output: assets/posters/<slug>.jpg, 400x600 px, JPEG quality 85.

All randomness comes from a random.Random seeded with the slug, so re-running
the script rewrites byte-identical files.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    # Run as a file, Python puts scripts/ on the path; the package and moviebook need the root.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from scripts.posters.render import main as render_all

    render_all()


if __name__ == "__main__":
    main()
