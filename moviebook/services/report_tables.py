"""Report rows as plain tables of text: what the reports page shows and what its CSV files hold.

One table feeds both, so a downloaded file always says what the screen says. Money is written
as an exact decimal of the integer cents ("46.00"), with the currency in the header, so a
spreadsheet sums it without rounding.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from moviebook.services import reports
from moviebook.services.distributor_returns import DistributorReturn
from moviebook.services.money import format_amount
from moviebook.services.reports import Figures, ReportRange


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[str, ...] | None = None  # the last line, when adding up makes sense

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        if self.totals:
            writer.writerow(self.totals)
        return out.getvalue()

    def csv_filename(self, start, end) -> str:
        """What the download is called, for the period it covers (local days)."""
        return f"moviebook-{self.key}-{start}-to-{end}.csv"


def _money_headers(currency: str) -> tuple[str, ...]:
    return ("Tickets", "Bookings", f"Revenue ({currency})", "Cancelled bookings", f"Refunds ({currency})")


def _money_cells(f: Figures) -> tuple[str, ...]:
    return (
        str(f.tickets),
        str(f.bookings),
        format_amount(f.revenue_cents),
        str(f.cancelled_bookings),
        format_amount(f.refunds_cents),
    )


def _sum(figures: list[Figures]) -> Figures:
    return Figures(*(sum(getattr(f, name) for f in figures) for name in Figures.__dataclass_fields__))


def _local(moment, tz: ZoneInfo, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return moment.astimezone(tz).strftime(pattern) if moment else ""


def revenue_by_day(session, rng: ReportRange, currency: str) -> Table:
    rows = reports.revenue_by_day(session, rng)
    return Table(
        "revenue-by-day",
        "Revenue by day",
        ("Day", *_money_headers(currency)),
        tuple((r.day.isoformat(), *_money_cells(r.figures)) for r in rows),
        ("Total", *_money_cells(_sum([r.figures for r in rows]))),
    )


def revenue_by_movie(session, rng: ReportRange, currency: str) -> Table:
    rows = reports.revenue_by_movie(session, rng)
    return Table(
        "revenue-by-movie",
        "Revenue by film",
        ("Film", *_money_headers(currency)),
        tuple((r.name, *_money_cells(r.figures)) for r in rows),
        ("Total", *_money_cells(_sum([r.figures for r in rows]))),
    )


def revenue_by_auditorium(session, rng: ReportRange, currency: str) -> Table:
    rows = reports.revenue_by_auditorium(session, rng)
    return Table(
        "revenue-by-room",
        "Revenue by room",
        ("Room", *_money_headers(currency)),
        tuple((r.name, *_money_cells(r.figures)) for r in rows),
        ("Total", *_money_cells(_sum([r.figures for r in rows]))),
    )


def sales_by_ticket_type(session, rng: ReportRange, currency: str) -> Table:
    rows = reports.sales_by_ticket_type(session, rng)

    def cells(tickets, sales, discount, fee, revenue, cancelled) -> tuple[str, ...]:
        return (str(tickets), *map(format_amount, (sales, discount, fee, revenue)), str(cancelled))

    return Table(
        "sales-by-ticket-type",
        "Sales by ticket type",
        (
            "Ticket type",
            "Tickets",
            f"Ticket sales ({currency})",
            f"Discounts ({currency})",
            f"Booking fees ({currency})",
            f"Revenue ({currency})",
            "Cancelled tickets",
        ),
        tuple(
            (
                r.name,
                *cells(r.tickets, r.sales_cents, r.discount_cents, r.fee_cents, r.revenue_cents, r.cancelled_tickets),
            )
            for r in rows
        ),
        (
            "Total",
            *cells(
                *(
                    sum(getattr(r, name) for r in rows)
                    for name in ("tickets", "sales_cents", "discount_cents", "fee_cents", "revenue_cents")
                ),
                sum(r.cancelled_tickets for r in rows),
            ),
        ),
    )


def sales_by_channel(session, rng: ReportRange, currency: str) -> Table:
    rows = reports.sales_by_channel(session, rng)

    def cells(f: Figures, discount: int, fee: int, kept: int) -> tuple[str, ...]:
        return (
            str(f.tickets),
            str(f.bookings),
            format_amount(discount),
            format_amount(fee),
            format_amount(f.revenue_cents),
            str(f.cancelled_bookings),
            format_amount(f.refunds_cents),
            format_amount(kept),
        )

    return Table(
        "sales-by-channel",
        "Sales by channel",
        (
            "Channel",
            "Tickets",
            "Bookings",
            f"Discounts ({currency})",
            f"Booking fees ({currency})",
            f"Revenue ({currency})",
            "Cancelled bookings",
            f"Refunds ({currency})",
            f"Fees kept on cancellations ({currency})",
        ),
        tuple((r.label, *cells(r.figures, r.discount_cents, r.fee_cents, r.fees_kept_cents)) for r in rows),
        (
            "Total",
            *cells(
                _sum([r.figures for r in rows]),
                sum(r.discount_cents for r in rows),
                sum(r.fee_cents for r in rows),
                sum(r.fees_kept_cents for r in rows),
            ),
        ),
    )


def discounts_by_promotion(session, rng: ReportRange, currency: str) -> Table:
    rows = reports.discounts_by_promotion(session, rng)
    return Table(
        "discounts-by-code",
        "Discounts by promo code",
        ("Code", "Bookings", "Tickets", f"Discount ({currency})", f"Revenue after discount ({currency})"),
        tuple(
            (r.code, str(r.bookings), str(r.tickets), format_amount(r.discount_cents), format_amount(r.revenue_cents))
            for r in rows
        ),
        (
            "Total",
            str(sum(r.bookings for r in rows)),
            str(sum(r.tickets for r in rows)),
            format_amount(sum(r.discount_cents for r in rows)),
            format_amount(sum(r.revenue_cents for r in rows)),
        ),
    )


def occupancy_by_showtime(session, rng: ReportRange, currency: str) -> Table:
    rows = reports.occupancy_by_showtime(session, rng)
    return Table(
        "occupancy-by-showtime",
        "Occupancy by showtime",
        ("Starts", "Film", "Room", "Seats on sale", "Tickets", "Occupancy %", f"Revenue ({currency})", "Status"),
        tuple(
            (
                _local(r.starts_at, rng.tz),
                r.title,
                r.room,
                str(r.capacity),
                str(r.figures.tickets),
                f"{r.occupancy:.1f}",
                format_amount(r.figures.revenue_cents),
                "Cancelled" if r.is_cancelled else "On",
            )
            for r in rows
        ),
        (
            "Total",
            "",
            "",
            str(sum(r.capacity for r in rows)),
            str(sum(r.figures.tickets for r in rows)),
            f"{reports.occupancy_pct(sum(r.figures.tickets for r in rows), sum(r.capacity for r in rows)):.1f}",
            format_amount(sum(r.figures.revenue_cents for r in rows)),
            "",
        ),
    )


def popular_movies(session, rng: ReportRange, currency: str) -> Table:
    rows = reports.popular_movies(session, rng)
    return Table(
        "popular-films",
        "Popular films",
        (
            "Rank (tickets)",
            "Film",
            "Tickets",
            "Showtimes",
            "Seats on sale",
            "Occupancy %",
            "Rank (occupancy)",
            f"Revenue ({currency})",
        ),
        tuple(
            (
                str(r.rank_by_tickets),
                r.title,
                str(r.figures.tickets),
                str(r.showtimes),
                str(r.capacity),
                f"{r.occupancy:.1f}",
                str(r.rank_by_occupancy),
                format_amount(r.figures.revenue_cents),
            )
            for r in rows
        ),
    )


def cancellations(session, rng: ReportRange, currency: str) -> Table:
    rows = reports.cancellations(session, rng)
    return Table(
        "cancellations",
        "Cancellations and refunds",
        ("Code", "Customer", "Film", "Showtime", "Cancelled at", "Reason", "Tickets", f"Refund ({currency})"),
        tuple(
            (
                r.code,
                r.customer_email,
                r.title,
                _local(r.starts_at, rng.tz),
                _local(r.cancelled_at, rng.tz),
                r.reason,
                str(r.tickets),
                format_amount(r.refund_cents),
            )
            for r in rows
        ),
        (
            "Total",
            "",
            "",
            "",
            "",
            "",
            str(sum(r.tickets for r in rows)),
            format_amount(sum(r.refund_cents for r in rows)),
        ),
    )


def _percent_bp(bp: int) -> str:
    """Basis points as an exact percentage: 3500 -> '35.00'."""
    return f"{bp // 100}.{bp % 100:02d}"


def distributor_return(ret: DistributorReturn, currency: str) -> Table:
    """A film week's return: one line per film, and what is paid in all."""
    return Table(
        "distributor-return",
        "Distributor return",
        (
            "Film",
            "Shows",
            "Admissions",
            f"Gross box office ({currency})",
            f"Net of VAT ({currency})",
            "Rental %",
            f"Due ({currency})",
        ),
        tuple(
            (
                r.title,
                str(r.showtimes),
                str(r.admissions),
                format_amount(r.gross_cents),
                format_amount(r.net_cents),
                _percent_bp(r.rental_bp),
                format_amount(r.due_cents),
            )
            for r in ret.rows
        ),
        (
            "Total",
            str(sum(r.showtimes for r in ret.rows)),
            str(ret.admissions),
            format_amount(ret.gross_cents),
            format_amount(ret.net_cents),
            "",
            format_amount(ret.due_cents),
        ),
    )


def heatmap_table(heat: reports.Heatmap) -> Table:
    return Table(
        "seat-heatmap",
        f"Seat heat map: {heat.name}",
        ("Row", "Seat", "Type", "Times sold", "Showtimes"),
        tuple((s.row_label, str(s.number), s.seat_type, str(s.sold), str(heat.showtimes)) for s in heat.seats),
    )


# The tables of the reports page, in page order, by the key each downloads as.
TABLES = {
    "revenue-by-day": revenue_by_day,
    "revenue-by-movie": revenue_by_movie,
    "revenue-by-room": revenue_by_auditorium,
    "sales-by-ticket-type": sales_by_ticket_type,
    "sales-by-channel": sales_by_channel,
    "discounts-by-code": discounts_by_promotion,
    "occupancy-by-showtime": occupancy_by_showtime,
    "popular-films": popular_movies,
    "cancellations": cancellations,
}
