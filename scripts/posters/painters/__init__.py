"""One painter per film: ``paint(img, film, rng)`` draws the poster's art and title on the canvas."""
