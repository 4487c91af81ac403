import io

import pytest
from PIL import Image

from moviebook.services.posters import MAX_POSTER_BYTES, PosterRejected, sniff_image_type, store_poster


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
