"""Charts and figure tiles for the admin pages, in the app's amber-on-dark theme."""

import reflex as rx

# SVG presentation attributes (fill, stroke) do not resolve CSS variables, so the chart
# colours are the theme's dark amber 9 and sand 6 written out.
BAR_COLOUR = "#ffc53d"
GRID_COLOUR = "#3b3a37"
AXIS_TEXT = "#b5b3ad"


def bar_chart(
    data,
    x_key: str,
    y_key: str,
    label: str,
    *,
    height: int = 240,
    unit: str = "",
    has_data=True,
    empty_text: str = "Nothing sold in this period yet.",
) -> rx.Component:
    """A labelled bar chart; ``label`` names it for screen readers and as its heading.

    While ``has_data`` (a bool Var) is false, ``empty_text`` stands in the chart's place: a
    grid of zero-height bars looks broken rather than empty.
    """
    chart = rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", stroke=GRID_COLOUR),
        rx.recharts.x_axis(data_key=x_key, tick={"fill": AXIS_TEXT, "fontSize": 11}),
        rx.recharts.y_axis(unit=unit, tick={"fill": AXIS_TEXT, "fontSize": 11}, width=56),
        rx.recharts.tooltip(
            cursor={"fill": GRID_COLOUR}, content_style={"background": rx.color("gray", 2), "border": "none"}
        ),
        rx.recharts.bar(data_key=y_key, fill=BAR_COLOUR, radius=[3, 3, 0, 0], unit=unit),
        data=data,
        height=height,
    )
    empty = rx.center(
        rx.vstack(
            rx.icon("chart-no-axes-column", size=28, color=rx.color("gray", 8)),
            rx.text(empty_text, size="2", color_scheme="gray"),
            align="center",
        ),
        height=f"{height}px",
    )
    return rx.card(
        rx.heading(label, size="3", as_="h2", margin_bottom="2"),
        rx.cond(has_data, chart, empty),
        role="figure",
        aria_label=label,
        width="100%",
    )


def stat_tile(label, value, detail=None, icon: str = "ticket") -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon(icon, size=22, color=rx.color("accent", 9)),
            rx.vstack(
                rx.text(label, size="2", color_scheme="gray"),
                rx.text(value, size="6", weight="bold", as_="div"),  # a figure, not a heading
                *([rx.text(detail, size="2", color_scheme="gray")] if detail is not None else []),
                spacing="0",
            ),
            spacing="3",
            align="start",
        ),
        role="group",
        aria_label=label,
        width="100%",
    )


def occupancy_bar(percent, value, label) -> rx.Component:
    """A thin bar filled to ``percent`` (a CSS width such as "35%"); ``value`` is the number for AT."""
    return rx.box(
        rx.box(height="100%", width=percent, background=rx.color("accent", 9), border_radius="999px"),
        role="progressbar",
        aria_valuenow=value,
        aria_valuemin=0,
        aria_valuemax=100,
        aria_label=label,
        height="8px",
        width="100%",
        background=rx.color("gray", 4),
        border_radius="999px",
        overflow="hidden",
    )
