"""The admin area's section links, shown on every admin page."""

import reflex as rx

SECTIONS = (
    ("Dashboard", "/admin"),
    ("Reports", "/admin/reports"),
    ("Distributor returns", "/admin/returns"),
    ("Films", "/admin/movies"),
    ("Rooms", "/admin/auditoriums"),
    ("Schedule", "/admin/showtimes"),
    ("Prices", "/admin/pricing"),
    ("Promotions", "/admin/promotions"),
    ("Reservations", "/admin/reservations"),
    ("Box office", "/staff/sell"),
    ("Cash-up", "/staff/cashup"),
    ("Door check-in", "/staff/checkin"),
    ("Users", "/admin/users"),
    ("Audit log", "/admin/audit"),
    ("Outbox", "/admin/outbox"),
    ("Dev mailbox", "/admin/mailbox"),
)


def admin_nav() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            *[
                rx.link(
                    label,
                    href=href,
                    size="2",
                    weight="medium",
                    color_scheme="gray",
                    high_contrast=True,
                    padding_x="2",
                    padding_y="1",
                )
                for label, href in SECTIONS
            ],
            spacing="2",
            wrap="wrap",
        ),
        aria_label="Admin sections",
        style={
            "border_bottom": f"1px solid {rx.color('gray', 4)}",
            "padding_bottom": "var(--space-2)",
            "width": "100%",
        },
    )
