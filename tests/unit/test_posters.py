import dataclasses
import io
from pathlib import Path

import pytest
from PIL import Image

from moviebook.services.demo_data import MOVIES
from moviebook.services.posters import MAX_POSTER_BYTES, PosterRejected, sniff_image_type, store_poster
from scripts.posters.catalogue import ART, films
from scripts.posters.render import OUT_DIR, render
from scripts.posters.toolkit.canvas import FONT_DIRS, FONT_ROLES, OUT_SIZE, to_jpeg
from scripts.posters.toolkit.credits import billing_units, make_credits

ROOT = Path(__file__).resolve().parents[2]


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 30), (200, 120, 10)).save(buffer, format=kind)
    return buffer.getvalue()


@pytest.mark.parametrize("kind, ext", [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_real_images_are_stored_under_a_generated_name(tmp_path, kind, ext):
    data = image_bytes(kind)
    assert sniff_image_type(data) == ext
    stored = store_poster(data, tmp_path)
    assert stored.startswith("posters/") and stored.endswith(f".{ext}") and len(stored) > 20
    assert (tmp_path / stored).read_bytes() == data


def test_a_text_file_renamed_png_is_refused(tmp_path):
    with pytest.raises(PosterRejected, match="not a PNG, JPEG or WebP"):
        store_poster(b"hello, I am plain text pretending to be poster.png", tmp_path)
    assert not (tmp_path / "posters").exists() or not any((tmp_path / "posters").iterdir())


def test_gif_and_svg_are_refused(tmp_path):
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, format="GIF")
    for data in (gif.getvalue(), b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'):
        with pytest.raises(PosterRejected):
            store_poster(data, tmp_path)


def test_too_large_and_empty_files_are_refused(tmp_path):
    with pytest.raises(PosterRejected, match="larger than 5 MB"):
        store_poster(b"\x89PNG\r\n\x1a\n" + b"0" * MAX_POSTER_BYTES, tmp_path)
    with pytest.raises(PosterRejected, match="empty"):
        store_poster(b"", tmp_path)


# The demo posters (scripts/make_posters.py) and the catalogue they are drawn for.


def test_the_poster_script_draws_demo_datas_films_and_no_others():
    drawn = films()
    assert len(drawn) == len(MOVIES) == 12
    assert all(film.movie is movie for film, movie in zip(drawn, MOVIES, strict=True))
    assert set(ART) == {movie.slug for movie in MOVIES}
    for film, movie in zip(drawn, MOVIES, strict=True):  # what a poster prints is the catalogue's
        printed = [text for unit in billing_units(film, make_credits(film)) for text, _ in unit]
        assert f"\u201c{movie.title.upper()}\u201d" in printed


def test_a_demo_film_without_poster_art_and_art_without_a_film_are_refused():
    new_film = dataclasses.replace(MOVIES[0], slug="a-film-with-no-poster", title="A Film With No Poster")
    with pytest.raises(LookupError, match="a-film-with-no-poster"):
        films((*MOVIES, new_film))
    with pytest.raises(LookupError, match=MOVIES[0].slug):
        films(MOVIES[1:])


def test_every_demo_film_has_its_poster_where_the_app_links_to_it():
    for movie in MOVIES:
        with Image.open(ROOT / "assets" / movie.poster_path.removeprefix("/")) as poster:
            assert (poster.format, poster.size) == ("JPEG", OUT_SIZE), movie.slug


def test_a_regenerated_poster_is_byte_identical_to_the_committed_one():
    missing = [names[0] for names in FONT_ROLES.values() if not any((d / names[0]).is_file() for d in FONT_DIRS)]
    assert not missing, f"the posters are drawn with Debian's fonts-liberation and fonts-dejavu; missing {missing}"
    film = next(film for film in films() if film.slug == "the-cartographers-daughter")  # the quickest to draw
    assert to_jpeg(render(film)) == (OUT_DIR / film.file_name).read_bytes()
