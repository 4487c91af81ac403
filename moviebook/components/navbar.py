"""The top bar: the brand, the main sections, and who is logged in."""

import reflex as rx
from reflex_components_radix.themes.components.dropdown_menu import DropdownMenuItem

from moviebook.components.theme import HIGH_CONTRAST, TOGGLE_CONTRAST
from moviebook.state.auth import AuthState

CONTRAST_LABEL = "High contrast"


class _MenuCheckboxItem(DropdownMenuItem):
    """Radix's checkbox menu item (role menuitemcheckbox, a tick when checked), which rx.menu
    does not wrap."""

    tag = "DropdownMenu.CheckboxItem"
    checked: rx.Var[bool]


def _contrast_menu_item() -> rx.Component:
    return _MenuCheckboxItem.create(CONTRAST_LABEL, checked=HIGH_CONTRAST, on_select=TOGGLE_CONTRAST)


def _contrast_button() -> rx.Component:
    """For guests, who have no account menu: a toggle button, named by its visible text."""
    return rx.button(
        # On: a tick. The same ghost button either way, so the navbar keeps its width at 390 px.
        rx.cond(
            HIGH_CONTRAST,
            rx.icon("check", size=16, aria_hidden="true"),
            rx.icon("contrast", size=16, aria_hidden="true"),
        ),
        "Contrast",
        variant="ghost",
        color_scheme="gray",
        aria_label=CONTRAST_LABEL,
        aria_pressed=rx.cond(HIGH_CONTRAST, "true", "false"),
        title=CONTRAST_LABEL,
        on_click=TOGGLE_CONTRAST,
    )


def _brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("clapperboard", size=26, color=rx.color("accent", 9)),
            rx.heading("Moviebook", size="6", weight="bold", display=["none", "block"]),
            align="center",
            spacing="2",
        ),
        href="/",
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        aria_label="Moviebook home",
    )


def _user_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("circle-user-round", size=18),
                rx.text(
                    AuthState.viewer_name,
                    max_width="10em",
                    overflow="hidden",
                    text_overflow="ellipsis",
                    white_space="nowrap",
                ),
                " ",
                rx.badge(
                    AuthState.viewer_role_label, variant=rx.cond(AuthState.viewer_role == "user", "soft", "solid")
                ),
                variant="soft",
                color_scheme="gray",
                # The visible name and role, in order, within the accessible name.
                aria_label="Account menu for " + AuthState.viewer_name + " (" + AuthState.viewer_role_label + ")",
            ),
        ),
        rx.menu.content(
            rx.menu.item("My bookings", on_click=rx.redirect("/bookings")),
            rx.menu.item("My account", on_click=rx.redirect("/account")),
            rx.cond(AuthState.viewer_is_admin, rx.menu.item("Admin", on_click=rx.redirect("/admin"))),
            rx.cond(AuthState.viewer_is_staff, rx.menu.item("Box office", on_click=rx.redirect("/staff/sell"))),
            rx.cond(AuthState.viewer_is_staff, rx.menu.item("Cash-up", on_click=rx.redirect("/staff/cashup"))),
            rx.cond(AuthState.viewer_is_staff, rx.menu.item("Door check-in", on_click=rx.redirect("/staff/checkin"))),
            rx.cond(
                AuthState.viewer_is_staff, rx.menu.item("Reservations", on_click=rx.redirect("/admin/reservations"))
            ),
            rx.menu.separator(),
            _contrast_menu_item(),
            rx.menu.separator(),
            rx.menu.item("Log out", on_click=AuthState.log_out, color_scheme="red"),
        ),
    )


def _guest_links() -> rx.Component:
    return rx.hstack(
        _contrast_button(),
        # Links that look like buttons (as_child), not buttons nested inside links.
        rx.button(rx.link("Log in", href="/login"), variant="ghost", color_scheme="gray", as_child=True),
        rx.button(rx.link("Sign up", href="/signup"), as_child=True),
        spacing="2",
        align="center",
    )


def navbar() -> rx.Component:
    # A real <nav> element, so assistive technology finds the "Main" landmark.
    return rx.el.nav(
        rx.container(
            rx.hstack(
                _brand(),
                rx.link(
                    "What's on",
                    href="/",
                    weight="medium",
                    color_scheme="gray",
                    high_contrast=True,
                    white_space="nowrap",
                ),
                rx.spacer(),
                rx.cond(AuthState.signed_in, _user_menu(), _guest_links()),
                align="center",
                spacing="4",
                width="100%",
            ),
            size="4",
            padding_x=["3", "4", "6"],
            padding_y="3",
        ),
        aria_label="Main",
        style={
            "border_bottom": f"1px solid {rx.color('gray', 5)}",
            "background": rx.color("gray", 2),
            "position": "sticky",
            "top": "0",
            "z_index": "10",
        },
    )
