"""``/account``: change your name and your password, and switch the reminder emails."""

import reflex as rx

from moviebook.components.forms import form_field
from moviebook.components.layout import page_layout
from moviebook.state.account_forms import AccountState


def _name_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Your details", size="4", as_="h2"),
                rx.text("Email: ", rx.text.strong(AccountState.email), size="2", color_scheme="gray"),
                form_field(
                    "Name",
                    "name",
                    error=AccountState.name_error,
                    autocomplete="name",
                    default_value=AccountState.name,
                    max_length=120,
                ),
                rx.button("Save name", type="submit"),
                spacing="3",
                align="start",
                width="100%",
            ),
            on_submit=AccountState.save_name,
            reset_on_submit=False,
        ),
        width="100%",
    )


def _password_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Change password", size="4", as_="h2"),
                form_field(
                    "Current password",
                    "current",
                    error=AccountState.current_error,
                    type="password",
                    autocomplete="current-password",
                    max_length=128,
                ),
                form_field(
                    "New password",
                    "new",
                    error=AccountState.new_error,
                    type="password",
                    autocomplete="new-password",
                    max_length=128,
                ),
                form_field(
                    "Confirm new password",
                    "confirm",
                    error=AccountState.confirm_error,
                    type="password",
                    autocomplete="new-password",
                    max_length=128,
                ),
                rx.button("Change password", type="submit"),
                spacing="3",
                align="start",
                width="100%",
            ),
            on_submit=AccountState.save_password,
            reset_on_submit=True,
            key=AccountState.password_form_key,
        ),
        width="100%",
    )


def _email_settings() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Emails", size="4", as_="h2"),
            rx.text("Your tickets and news about your bookings always come by email.", size="2", color_scheme="gray"),
            rx.hstack(
                rx.switch(
                    checked=AccountState.email_reminders,
                    on_change=AccountState.save_reminders,
                    id="email-reminders",
                ),
                rx.el.label(
                    "Remind me by email " + AccountState.reminder_hours.to_string() + " hours before my show",
                    html_for="email-reminders",
                    style={"font_size": "var(--font-size-2)"},
                ),
                spacing="2",
                align="center",
            ),
            spacing="3",
            align="start",
            width="100%",
        ),
        width="100%",
    )


def _unverified_banner() -> rx.Component:
    return rx.cond(
        ~AccountState.verified,
        rx.callout(
            rx.hstack(
                rx.text("Please confirm your email address: we sent you a link when you signed up.", size="2"),
                rx.button("Send the link again", size="1", variant="soft", on_click=AccountState.resend_link),
                wrap="wrap",
                align="center",
            ),
            icon="mail",
            color_scheme="amber",
            width="100%",
        ),
    )


def _email_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Change email", size="4", as_="h2"),
                rx.text(
                    "We send a link to the new address; it takes effect when you open it.",
                    size="2",
                    color_scheme="gray",
                ),
                form_field(
                    "New email",
                    "new_email",
                    error=AccountState.new_email_error,
                    autocomplete="email",
                    input_mode="email",
                    max_length=254,
                ),
                form_field(
                    "Your password",
                    "password",
                    error=AccountState.email_password_error,
                    type="password",
                    autocomplete="current-password",
                    max_length=128,
                ),
                rx.button("Send confirmation link", type="submit"),
                spacing="3",
                align="start",
                width="100%",
            ),
            on_submit=AccountState.change_email,
            reset_on_submit=True,
            key=AccountState.email_form_key,
        ),
        width="100%",
    )


def account_page() -> rx.Component:
    return page_layout(
        _unverified_banner(),
        rx.grid(
            _name_form(),
            _password_form(),
            _email_form(),
            _email_settings(),
            columns={"initial": "1", "md": "2"},
            spacing="4",
            width="100%",
        ),
        title="My account",
    )
