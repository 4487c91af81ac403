"""Moviebook's demo posters, drawn from scratch with Pillow (entry point: ``scripts/make_posters.py``).

- ``toolkit/``: the primitives every poster shares: the canvas, fonts and colours, layers and
  light (``canvas``), type (``typography``), scenery (``scenery``) and the billing block
  (``credits``).
- ``painters/``: one painter per film, grouped by theme; each draws its film's art and title.
- ``film``: ``Film``, a film of ``moviebook/services/demo_data.py`` with its poster's ``Art``.
- ``catalogue``: every demo film's art (painter, tagline, studios, finish), keyed by slug.
- ``render``: finishes each poster and writes ``assets/posters``.
"""
