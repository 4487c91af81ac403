"""Form pieces: a labelled input with its own error line, and a card to hold a form."""

import reflex as rx


def form_field(
    label: str,
    name: str,
    *,
    error=None,
    type: str = "text",
    autocomplete: str | None = None,
    default_value=None,
    input_mode: str | None = None,
    max_length: int = 200,
) -> rx.Component:
    """A visible <label> tied to its input, and the server's message for it right below."""
    input_id = f"field-{name}"
    error_id = f"{input_id}-error"
    has_error = (error != "") if error is not None else False
    return rx.vstack(
        rx.el.label(label, html_for=input_id, style=LABEL_STYLE),
        rx.input(
            id=input_id,
            name=name,
            type=type,
            auto_complete=autocomplete,
            input_mode=input_mode,
            default_value=default_value,
            max_length=max_length,
            size="3",
            width="100%",
            aria_invalid=rx.cond(has_error, "true", "false") if error is not None else None,
            aria_describedby=error_id if error is not None else None,
        ),
        rx.cond(has_error, rx.text(error, id=error_id, color_scheme="red", size="2"))
        if error is not None
        else rx.fragment(),
        spacing="1",
        width="100%",
    )


LABEL_STYLE = {"font_weight": "500", "font_size": "var(--font-size-2)"}


def labelled_control(label: str, control_id: str, control: rx.Component, *, error=None, **props) -> rx.Component:
    """A visible <label> tied by id to any control (date, select, text area), and optionally the
    server's message for it below."""
    parts = [rx.el.label(label, html_for=control_id, style=LABEL_STYLE), control]
    if error is not None:
        parts.append(rx.cond(error != "", rx.text(error, color_scheme="red", size="2")))
    return rx.vstack(*parts, spacing="1", **props)


def form_card(title: str, *children: rx.Component, subtitle: str | None = None) -> rx.Component:
    header = [rx.heading(title, size="7", as_="h1")]
    if subtitle:
        header.append(rx.text(subtitle, color_scheme="gray"))
    return rx.center(
        rx.card(
            rx.vstack(*header, *children, spacing="4", width="100%"),
            size="3",
            width="100%",
            max_width="26em",
        ),
        width="100%",
        padding_y=["2", "6"],
    )


def error_callout(message) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="circle-alert", color_scheme="red", role="alert", width="100%"),
    )


def search_box(label: str, placeholder: str, value, on_change, width=None) -> rx.Component:
    """A search field that applies as you type (debounced, so not on every keystroke)."""
    return rx.input(
        rx.input.slot(rx.icon("search", size=16)),
        placeholder=placeholder,
        aria_label=label,
        type="search",
        value=value,
        on_change=on_change,
        debounce_timeout=300,
        max_length=100,
        width=width or ["100%", "16em"],
    )


# Native <select> elements (easy to use by keyboard and on phones), styled like the theme.
NATIVE_SELECT_STYLE = {
    "padding": "6px",
    "border_radius": "6px",
    "background": "var(--gray-3)",
    "color": "var(--gray-12)",
    "border": "1px solid var(--gray-7)",
}


def pager(page, pages, go_to_page) -> rx.Component:
    """Previous / "Page x of y" / Next, for any paged list whose state has a go_to_page(n) handler."""
    return rx.hstack(
        rx.button("Previous", variant="soft", disabled=page <= 1, on_click=go_to_page(page - 1)),
        rx.text("Page ", page.to_string(), " of ", pages.to_string(), size="2"),
        rx.button("Next", variant="soft", disabled=page >= pages, on_click=go_to_page(page + 1)),
        align="center",
        spacing="3",
    )


def editor_card(
    heading,
    *fields: rx.Component,
    editing,
    create_label: str,
    save_label: str,
    on_submit,
    on_cancel,
    key,
    card_id: str,
    max_width: str = "40em",
) -> rx.Component:
    """The create-or-edit form under an admin list: a heading, the fields, then "Create" (or
    "Save" and "Cancel" while ``editing``). ``key`` changes whenever the form is refilled, so
    its uncontrolled inputs show the new values."""
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(heading, size="4", as_="h2"),
                *fields,
                rx.hstack(
                    rx.button(rx.cond(editing, save_label, create_label), type="submit"),
                    rx.cond(
                        editing,
                        rx.button("Cancel", type="button", variant="soft", color_scheme="gray", on_click=on_cancel),
                    ),
                    spacing="3",
                ),
                spacing="4",
                width="100%",
                align="start",
            ),
            on_submit=on_submit,
            reset_on_submit=False,
            key=key,
            width="100%",
        ),
        id=card_id,
        width="100%",
        max_width=max_width,
    )


def file_drop(*children: rx.Component, label: str, **props) -> rx.Component:
    """``rx.upload`` whose hidden file input is named ``label`` too (Reflex gives that input no
    way to take props, and an unnamed form control fails the WCAG "label" rule)."""
    zone = rx.upload(*children, aria_label=label, **props)
    for file_input in zone.children[0].children[:1]:
        file_input.custom_attrs["aria-label"] = label
    return zone
