"""The admin pages' list table: fixed column headings, one row per item, scrolling sideways on a phone."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from moviebook.components.scroll_region import scroll_region


def list_table(headings: tuple[str, ...], items, render_row: Callable[..., rx.Component], label: str) -> rx.Component:
    """``items`` is a list Var; ``render_row`` turns one item into an ``rx.table.row``; ``label``
    names the table's scroll region (it takes focus, so a keyboard can scroll it on a phone)."""
    return scroll_region(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headings])),
            rx.table.body(rx.foreach(items, render_row)),
            variant="surface",
            width="100%",
        ),
        label=label,
    )
