"""``/unsubscribe``: what following an unsubscribe link did, in words."""

import reflex as rx

from moviebook.components.feedback import page_spinner
from moviebook.components.layout import page_layout
from moviebook.state.unsubscribe import UnsubscribeState


def unsubscribe_page() -> rx.Component:
    return page_layout(
        rx.cond(
            UnsubscribeState.working,
            page_spinner(),
            rx.vstack(
                rx.callout(
                    UnsubscribeState.message,
                    icon=rx.cond(UnsubscribeState.done, "mail-check", "mail-x"),
                    color_scheme=rx.cond(UnsubscribeState.done, "green", "red"),
                    role=rx.cond(UnsubscribeState.done, "status", "alert"),
                    width="100%",
                ),
                rx.link("Go to My account", href="/account"),
                spacing="4",
                width="100%",
                max_width="40em",
            ),
        ),
        title="Email settings",
    )
