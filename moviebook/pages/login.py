"""``/login`` and ``/signup``."""

import reflex as rx

from moviebook.components.forms import error_callout, form_card, form_field
from moviebook.components.layout import page_layout
from moviebook.state.account_forms import LoginState, SignupState


def login_page() -> rx.Component:
    return page_layout(
        form_card(
            "Log in",
            rx.form(
                rx.vstack(
                    form_field("Email", "email", autocomplete="email", input_mode="email", max_length=254),
                    form_field(
                        "Password", "password", type="password", autocomplete="current-password", max_length=128
                    ),
                    error_callout(LoginState.error),
                    rx.link("Forgot password?", href="/forgot-password", size="2"),
                    # Busy until the page is live: a submit sent while the page is still being
                    # hydrated can be superseded by the hydration's own events and do nothing.
                    rx.button(
                        "Log in",
                        type="submit",
                        size="3",
                        width="100%",
                        loading=LoginState.submitting | ~LoginState.is_hydrated,
                    ),
                    spacing="4",
                    width="100%",
                ),
                on_submit=LoginState.log_in,
                reset_on_submit=False,
                width="100%",
            ),
            rx.text("New here? ", rx.link("Create an account", href=LoginState.signup_href), size="2"),
            subtitle="Book seats and see your tickets.",
        ),
    )


def signup_page() -> rx.Component:
    return page_layout(
        form_card(
            "Create your account",
            rx.form(
                rx.vstack(
                    form_field("Name", "name", error=SignupState.name_error, autocomplete="name", max_length=120),
                    form_field(
                        "Email",
                        "email",
                        error=SignupState.email_error,
                        autocomplete="email",
                        input_mode="email",
                        max_length=254,
                    ),
                    form_field(
                        "Password",
                        "password",
                        error=SignupState.password_error,
                        type="password",
                        autocomplete="new-password",
                        max_length=128,
                    ),
                    form_field(
                        "Confirm password",
                        "confirm",
                        error=SignupState.confirm_error,
                        type="password",
                        autocomplete="new-password",
                        max_length=128,
                    ),
                    rx.text(
                        "At least 8 characters. A few words you will remember work well.", size="1", color_scheme="gray"
                    ),
                    rx.button("Sign up", type="submit", size="3", width="100%", loading=SignupState.submitting),
                    spacing="4",
                    width="100%",
                ),
                on_submit=SignupState.sign_up,
                reset_on_submit=False,
                width="100%",
            ),
            rx.text("Already have an account? ", rx.link("Log in", href="/login"), size="2"),
        ),
    )
