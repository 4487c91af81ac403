"""The look of the app in one place: a dark auditorium with marquee-amber accents."""

import reflex as rx

ACCENT = "amber"

app_theme = rx.theme(
    appearance="dark",
    accent_color=ACCENT,
    gray_color="sand",
    radius="medium",
    scaling="100%",
)

global_style = {
    "font_family": "'Inter', 'DejaVu Sans', system-ui, sans-serif",
    "body": {"background": "var(--gray-1)"},
}

# Posters keep the film-industry 2:3 ratio everywhere they appear.
POSTER_RATIO = "2 / 3"

# Read by screen readers, not drawn: live announcements, and names the layout shows otherwise.
VISUALLY_HIDDEN = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "padding": "0",
    "margin": "-1px",
    "overflow": "hidden",
    "clip": "rect(0, 0, 0, 0)",
    "white_space": "nowrap",
    "border": "0",
}
