"""An "are you sure?" dialog in front of a destructive action (cancel, delete)."""

from __future__ import annotations

import reflex as rx


def confirm_dialog(trigger: rx.Component, *, title, description, confirm_label: str, on_confirm) -> rx.Component:
    """``trigger`` opens the dialog; "Keep it" backs out and ``confirm_label`` (red) runs ``on_confirm``.

    Every destructive action in the app asks the same way, so people learn one pattern.
    """
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button(confirm_label, color_scheme="red", on_click=on_confirm)),
                spacing="3",
                justify="end",
                margin_top="4",
            ),
        ),
    )
