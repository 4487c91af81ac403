"""``/forgot-password``, ``/reset-password`` and ``/verify-email``."""

import reflex as rx

from moviebook.components.feedback import page_spinner
from moviebook.components.forms import error_callout, form_card, form_field
from moviebook.components.layout import page_layout
from moviebook.state.account_recovery import ForgotPasswordState, ResetPasswordState, VerifyEmailState


def forgot_password_page() -> rx.Component:
    return page_layout(
        form_card(
            "Forgot your password?",
            rx.cond(
                ForgotPasswordState.answer != "",
                rx.callout(
                    ForgotPasswordState.answer, icon="mail-check", color_scheme="grass", role="status", width="100%"
                ),
                rx.form(
                    rx.vstack(
                        form_field("Email", "email", autocomplete="email", input_mode="email", max_length=254),
                        rx.button(
                            "Send me a link",
                            type="submit",
                            size="3",
                            width="100%",
                            loading=ForgotPasswordState.submitting,
                        ),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=ForgotPasswordState.ask,
                    reset_on_submit=False,
                    width="100%",
                ),
            ),
            rx.text("Remembered it? ", rx.link("Log in", href="/login"), size="2"),
            subtitle="We will email you a link to choose a new one.",
        ),
    )


def reset_password_page() -> rx.Component:
    return page_layout(
        form_card(
            "Choose a new password",
            rx.cond(
                ResetPasswordState.problem != "",
                rx.vstack(
                    error_callout(ResetPasswordState.problem),
                    rx.link("Ask for a new link", href="/forgot-password"),
                    spacing="3",
                    width="100%",
                ),
                rx.form(
                    rx.vstack(
                        form_field(
                            "New password",
                            "new",
                            error=ResetPasswordState.new_error,
                            type="password",
                            autocomplete="new-password",
                            max_length=128,
                        ),
                        form_field(
                            "Confirm new password",
                            "confirm",
                            error=ResetPasswordState.confirm_error,
                            type="password",
                            autocomplete="new-password",
                            max_length=128,
                        ),
                        rx.text(
                            "At least 8 characters. Every device signed in to your account will be logged out.",
                            size="1",
                            color_scheme="gray",
                        ),
                        rx.button(
                            "Save new password",
                            type="submit",
                            size="3",
                            width="100%",
                            loading=ResetPasswordState.submitting,
                        ),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=ResetPasswordState.save_new_password,
                    reset_on_submit=False,
                    width="100%",
                ),
            ),
        ),
    )


def verify_email_page() -> rx.Component:
    return page_layout(
        form_card(
            "Your email address",
            rx.cond(
                VerifyEmailState.loading,
                page_spinner(),
                rx.vstack(
                    rx.callout(
                        VerifyEmailState.outcome,
                        icon=rx.cond(VerifyEmailState.ok, "circle-check", "circle-alert"),
                        color_scheme=rx.cond(VerifyEmailState.ok, "grass", "red"),
                        role="status",
                        width="100%",
                    ),
                    rx.link("See what's on", href="/"),
                    spacing="3",
                    width="100%",
                ),
            ),
        ),
    )
