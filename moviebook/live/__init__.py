"""The live layer: what pushes seat-map and dashboard changes to open browsers.

It sits between the page states and the services (pages → components → state → live →
services → models). It knows Reflex and Redis, never the pages: a leaf state registers
itself here (``seat_maps.register_seat_map_view``, ``dashboards.register_dashboard_view``), and the
live code only ever talks to what was registered. The Reflex internals it needs are wrapped
in ``reflex_adapter``, the one module that touches them.
"""
