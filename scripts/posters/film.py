"""A film of the demo catalogue and the art of its poster: what every painter is handed."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image

from moviebook.services.demo_data import DemoMovie

from .toolkit.canvas import Colour, H

Painter = Callable[[Image.Image, "Film", random.Random], None]


@dataclass(frozen=True)
class Art:
    """How one film's poster looks. Everything else about the film is demo_data's."""

    paint: Painter
    tagline: str
    studio: str  # "<studio> PRESENTS" in the billing block
    production: str  # "IN ASSOCIATION WITH <production>"
    billing_colour: Colour = "#d6d9dc"
    cta: str = "COMING SOON TO MOVIEBOOK"
    vignette: float = 0.55
    grain: int = 7
    billing_bottom: int = H - 26


@dataclass(frozen=True)
class Film:
    """A film of the demo catalogue together with the art of its poster."""

    movie: DemoMovie
    art: Art

    @property
    def slug(self) -> str:
        return self.movie.slug

    @property
    def title(self) -> str:
        return self.movie.title

    @property
    def genres(self) -> tuple[str, ...]:
        return self.movie.genres

    @property
    def file_name(self) -> str:
        """The poster's file in assets/posters: the name the app links to (``DemoMovie.poster_path``)."""
        return PurePosixPath(self.movie.poster_path).name
