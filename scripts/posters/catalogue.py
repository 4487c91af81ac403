"""The posters' catalogue: demo_data's films, each with the art direction of its poster.

The films themselves (slug, title, genres, rating, ...) come from ``MOVIES`` in
``moviebook/services/demo_data.py``, the one catalogue that the app seeds and shows. This module
adds only what a poster needs and the catalogue does not: the painter, a tagline, invented
studio names and finishing touches, keyed by the film's slug.
"""

from __future__ import annotations

from collections.abc import Sequence

from moviebook.services.demo_data import MOVIES, DemoMovie

from .film import Art, Film
from .painters.chart import the_cartographers_daughter
from .painters.festive import midnight_at_the_grand, paper_lanterns, robo_rascals
from .painters.land import beneath_the_glacier, iron_meridian, whispers_in_the_pines
from .painters.sea import neon_harbor, the_last_lighthouse
from .painters.sky import echoes_of_andromeda, starfall_protocol, summer_of_the_comet
from .toolkit.canvas import H

ART: dict[str, Art] = {
    "the-last-lighthouse": Art(
        the_last_lighthouse,
        tagline="Some lights are kept for those who never come home.",
        studio="WILLOWMERE PICTURES",
        production="SALTMARSH FILMS",
        billing_colour="#b9c6cf",
    ),
    "starfall-protocol": Art(
        starfall_protocol,
        tagline="The sky isn't falling. It's being aimed.",
        studio="NINEFOLD STUDIOS",
        production="REDSHIFT FORGE",
        billing_colour="#c9dfe2",
        cta="ONLY IN CINEMAS \u00b7 BOOK ON MOVIEBOOK",
    ),
    "paper-lanterns": Art(
        paper_lanterns,
        tagline="Every wish needs someone to carry it home.",
        studio="COPPERLEAF ANIMATION",
        production="KITEWORKS",
        billing_colour="#f3d6c0",
        vignette=0.45,
    ),
    "midnight-at-the-grand": Art(
        midnight_at_the_grand,
        tagline="One night. One ballroom. Absolutely no plan.",
        studio="ORRERY PICTURES",
        production="VELVET ROPE PRODUCTIONS",
        billing_colour="#e3c77e",
        cta="CHECK IN SOON \u00b7 BOOK ON MOVIEBOOK",
        vignette=0.35,
    ),
    "iron-meridian": Art(
        iron_meridian,
        tagline="No stops. No witnesses. No way back.",
        studio="BLUEVANE MEDIA",
        production="SIGNAL BOX FILMS",
        billing_colour="#c3cacf",
    ),
    "whispers-in-the-pines": Art(
        whispers_in_the_pines,
        tagline="Don't answer when the forest calls your name.",
        studio="HOLLOW OAK PICTURES",
        production="BLACK TARN",
        billing_colour="#a9b5ad",
        vignette=0.7,
    ),
    "the-cartographers-daughter": Art(
        the_cartographers_daughter,
        tagline="Every map she drew led her further from home.",
        studio="BRASS COMPASS ENTERTAINMENT",
        production="INKWELL & ATLAS",
        billing_colour="#3e2816",
        vignette=0.0,
        grain=6,
        billing_bottom=H - 52,
    ),
    "neon-harbor": Art(
        neon_harbor,
        tagline="Every light in this town is for sale.",
        studio="NIGHTJAR FILMS",
        production="TIDEWATER & FINCH",
        billing_colour="#e2cdea",
        cta="NOW BOOKING ON MOVIEBOOK",
    ),
    "summer-of-the-comet": Art(
        summer_of_the_comet,
        tagline="Some things only come around once.",
        studio="KETTLE HILL PRODUCTIONS",
        production="LONG DUSK FILMS",
        billing_colour="#e7d6ee",
        vignette=0.45,
    ),
    "beneath-the-glacier": Art(
        beneath_the_glacier,
        tagline="400 metres of ice. 10,000 years of memory.",
        studio="FIRN & FJORD",
        production="COLD LIGHT DOCUMENTARY",
        billing_colour="#0c2a47",
        vignette=0.25,
        grain=5,
    ),
    "robo-rascals": Art(
        robo_rascals,
        tagline="Small bolts. Big trouble.",
        studio="SPROCKET & SONS ANIMATION",
        production="BUTTONWORKS",
        billing_colour="#1b2a4a",
        vignette=0.2,
        grain=4,
    ),
    "echoes-of-andromeda": Art(
        echoes_of_andromeda,
        tagline="Every signal is a memory. Some of them answer.",
        studio="STARGLASS PICTURES",
        production="QUIET ORBIT",
        billing_colour="#c3c9ef",
    ),
}


def films(movies: Sequence[DemoMovie] = MOVIES) -> list[Film]:
    """Every film of the catalogue with its poster's art, in the catalogue's order.

    Refuses a film that has no art and art for a film that is not in the catalogue, so the two
    cannot drift apart: a new demo film needs a painter, a removed one takes its art along.
    """
    slugs = [movie.slug for movie in movies]
    without_art = [slug for slug in slugs if slug not in ART]
    without_film = sorted(set(ART) - set(slugs))
    if without_art or without_film:
        raise LookupError(f"demo films without poster art: {without_art}; poster art without a film: {without_film}")
    return [Film(movie, ART[movie.slug]) for movie in movies]
