"""``/admin``: today's shows, sales, held seats and charts, live."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.charts import bar_chart, occupancy_bar, stat_tile
from moviebook.components.feedback import page_spinner
from moviebook.components.forms import NATIVE_SELECT_STYLE
from moviebook.components.layout import page_layout
from moviebook.state.admin_dashboard import CHART_RANGES, AdminDashboardState, SalesTileView, TodayShowView


def _sales_tile(tile: SalesTileView) -> rx.Component:
    return stat_tile("Sold " + tile.label.lower(), tile.revenue, tile.tickets, icon="banknote")


def _today_show(show: TodayShowView) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(show.time, weight="bold", size="2", min_width="3em"),
            rx.link(show.title, href=show.href, size="2", weight="medium", truncate=True),
            rx.spacer(),
            rx.cond(
                show.cancelled,
                rx.badge("Cancelled", color_scheme="red"),
                rx.text(
                    show.sold.to_string() + " / " + show.capacity.to_string(),
                    size="1",
                    color_scheme="gray",
                    white_space="nowrap",
                ),
            ),
            align="center",
            width="100%",
        ),
        rx.text(show.room, size="1", color_scheme="gray"),
        occupancy_bar(
            show.percent, show.percent_value, show.title + " at " + show.time + ": " + show.percent + " full"
        ),
        width="100%",
    )


def _today_card() -> rx.Component:
    return rx.card(
        rx.heading("Today's showtimes", size="3", as_="h2", margin_bottom="3"),
        rx.cond(
            AdminDashboardState.today_shows.length() > 0,
            rx.scroll_area(
                rx.vstack(
                    rx.foreach(AdminDashboardState.today_shows, _today_show),
                    spacing="3",
                    width="100%",
                    padding_right="3",
                ),
                type="auto",
                scrollbars="vertical",
                style={"max_height": "22em"},
            ),
            rx.text("Nothing is scheduled for today.", color_scheme="gray", size="2"),
        ),
        width="100%",
    )


def _range_select() -> rx.Component:
    return rx.el.select(
        *[rx.el.option(f"Last {days} days", value=str(days)) for days in CHART_RANGES],
        value=AdminDashboardState.chart_days.to_string(),
        on_change=AdminDashboardState.choose_chart_days,
        aria_label="Chart range",
        style=NATIVE_SELECT_STYLE,
    )


def _dashboard() -> rx.Component:
    return rx.vstack(
        rx.grid(
            rx.foreach(AdminDashboardState.sales, _sales_tile),
            stat_tile(
                "Seats held right now", AdminDashboardState.held_now.to_string(), "in open checkouts", icon="hourglass"
            ),
            columns={"initial": "1", "sm": "2", "lg": "4"},
            spacing="4",
            width="100%",
        ),
        rx.grid(
            _today_card(),
            bar_chart(
                AdminDashboardState.hour_points,
                "hour",
                "occupancy",
                "Occupancy by start hour",
                unit="%",
                has_data=AdminDashboardState.has_sales,
            ),
            columns={"initial": "1", "md": "2"},
            spacing="4",
            width="100%",
        ),
        rx.hstack(
            rx.heading("Trends", size="4", as_="h2"),
            rx.spacer(),
            _range_select(),
            align="center",
            width="100%",
        ),
        rx.grid(
            bar_chart(
                AdminDashboardState.revenue_points,
                "day",
                "revenue",
                "Revenue per show day",
                has_data=AdminDashboardState.has_sales,
            ),
            bar_chart(
                AdminDashboardState.movie_points,
                "film",
                "tickets",
                "Tickets per film",
                has_data=AdminDashboardState.has_sales,
            ),
            columns={"initial": "1", "md": "2"},
            spacing="4",
            width="100%",
        ),
        rx.text(
            "Updated live · last at ", AdminDashboardState.updated, size="1", color_scheme="gray", aria_live="polite"
        ),
        spacing="5",
        width="100%",
    )


def admin_dashboard_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.cond(AdminDashboardState.loading, page_spinner(), _dashboard()),
        title="Dashboard",
    )
