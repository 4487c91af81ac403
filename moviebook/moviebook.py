"""The Reflex app: page registration. The theme is applied by RadixThemesPlugin in rxconfig.py."""

import reflex as rx

from moviebook.api.app import create_api
from moviebook.components.theme import contrast_head_script, global_style
from moviebook.live.jobs import (
    booking_completer,
    dashboard_refresher,
    embedded_redis_keeper,
    expiry_sweeper,
    mail_sender,
    reminder_sender,
    webhook_sender,
)
from moviebook.live.loop_watch import loop_watch
from moviebook.live.seat_maps import seat_map_relay
from moviebook.pages.account import account_page
from moviebook.pages.account_recovery import forgot_password_page, reset_password_page, verify_email_page
from moviebook.pages.admin import admin_users_page
from moviebook.pages.admin_audit import admin_audit_page
from moviebook.pages.admin_dashboard import admin_dashboard_page
from moviebook.pages.admin_mail import admin_outbox_page, dev_mailbox_page
from moviebook.pages.admin_movies import admin_movies_page, movie_form_page
from moviebook.pages.admin_pricing import admin_pricing_page
from moviebook.pages.admin_promotions import admin_promotions_page
from moviebook.pages.admin_reports import admin_reports_page
from moviebook.pages.admin_reservations import admin_reservations_page
from moviebook.pages.admin_returns import admin_returns_page
from moviebook.pages.admin_rooms import admin_rooms_page, room_editor_page
from moviebook.pages.admin_schedule import admin_schedule_page
from moviebook.pages.bookings import my_bookings_page, ticket_page
from moviebook.pages.browse import browse_page
from moviebook.pages.login import login_page, signup_page
from moviebook.pages.movie_detail import movie_detail_page
from moviebook.pages.showtime import showtime_page
from moviebook.pages.staff_cashup import staff_cashup_page
from moviebook.pages.staff_checkin import staff_checkin_page
from moviebook.pages.staff_sell import staff_sell_page
from moviebook.pages.staff_ticket import staff_ticket_page
from moviebook.pages.unsubscribe import unsubscribe_page
from moviebook.state.account_forms import AccountState, LoginState, SignupState
from moviebook.state.account_recovery import ForgotPasswordState, ResetPasswordState, VerifyEmailState
from moviebook.state.admin_audit import AdminAuditState
from moviebook.state.admin_dashboard import AdminDashboardState
from moviebook.state.admin_mail import AdminOutboxState, DevMailboxState
from moviebook.state.admin_movies import AdminMoviesState, MovieFormState
from moviebook.state.admin_pricing import AdminPricingState
from moviebook.state.admin_promotions import AdminPromotionsState
from moviebook.state.admin_reports import AdminReportsState
from moviebook.state.admin_reservations import ReservationsState
from moviebook.state.admin_returns import AdminReturnsState
from moviebook.state.admin_rooms import AdminRoomsState, RoomEditorState
from moviebook.state.admin_schedule import AdminScheduleState
from moviebook.state.admin_users import AdminUsersState
from moviebook.state.auth import AuthState
from moviebook.state.browse import BrowseState
from moviebook.state.cashup import CashupState
from moviebook.state.checkin import CheckinState
from moviebook.state.counter import CounterState, ReceiptState
from moviebook.state.event_errors import backend_exception_handler
from moviebook.state.movie_detail import MovieDetailState
from moviebook.state.my_bookings import MyBookingsState, TicketState
from moviebook.state.seat_picker import SeatPickerState
from moviebook.state.unsubscribe import UnsubscribeState

# The JSON API (/api/v1, docs at /api/docs) is a FastAPI app that Reflex mounts in front of its
# own backend: same port, same workers, same services.
app = rx.App(
    style=global_style,
    html_lang="en",
    # Skip link, focus rings, underlined links in text, reduced motion (assets/accessibility.css).
    stylesheets=["/accessibility.css"],
    # High contrast, applied before the first paint (components/theme.py).
    head_components=[contrast_head_script()],
    backend_exception_handler=backend_exception_handler,
    api_transformer=create_api(),
)
# Every worker sweeps expired holds (each expiry is claimed once, atomically, in Redis) and
# completes the bookings of showtimes that have ended.
app.register_lifespan_task(expiry_sweeper)
# Every worker relays seat changes to its own open seat maps (live/seat_maps.py).
app.register_lifespan_task(seat_map_relay)
app.register_lifespan_task(booking_completer)
# And, when seats changed, refreshes the open admin dashboards (one worker per change).
app.register_lifespan_task(dashboard_refresher)
# And sends the outbox's mail (one worker at a time, see live/jobs.py).
app.register_lifespan_task(mail_sender)
# And queues the reminders before the shows (one worker at a time).
app.register_lifespan_task(reminder_sender)
# And POSTs the webhook deliveries (one worker at a time).
app.register_lifespan_task(webhook_sender)
# And, on the quick start's embedded Redis only, starts it again if it dies.
app.register_lifespan_task(embedded_redis_keeper)
# And, when LOOP_STALL_WARN_MS is set, logs what blocked its event loop (live/loop_watch.py).
app.register_lifespan_task(loop_watch)


def add_page(component, route: str, title: str, on_load=None) -> None:
    """Register a page; every page first learns who is logged in (for the navbar)."""
    handlers = [AuthState.sync_viewer] + ([on_load] if on_load is not None else [])
    app.add_page(component, route=route, title=f"{title} · Moviebook", on_load=handlers)


# Dynamic routes first, as Reflex recommends.
add_page(movie_detail_page, "/movies/[movie_id]", "Film", MovieDetailState.on_load)
add_page(showtime_page, "/showtimes/[showtime_id]", "Choose seats", SeatPickerState.on_load)
add_page(ticket_page, "/bookings/[booking_id]", "Your tickets", TicketState.on_load)
add_page(movie_form_page, "/admin/movies/[edit_id]", "Edit film", MovieFormState.on_load)
add_page(room_editor_page, "/admin/auditoriums/[room_id_arg]", "Room layout", RoomEditorState.on_load)
add_page(staff_ticket_page, "/staff/tickets/[sale_ref]", "Receipt", ReceiptState.on_load)
add_page(browse_page, "/", "What's on", BrowseState.on_load)
add_page(login_page, "/login", "Log in", LoginState.on_load)
add_page(signup_page, "/signup", "Sign up", SignupState.on_load)
add_page(account_page, "/account", "My account", AccountState.on_load)
add_page(forgot_password_page, "/forgot-password", "Forgot password", ForgotPasswordState.on_load)
add_page(reset_password_page, "/reset-password", "New password", ResetPasswordState.on_load)
add_page(verify_email_page, "/verify-email", "Confirm email", VerifyEmailState.on_load)
add_page(admin_dashboard_page, "/admin", "Dashboard", AdminDashboardState.on_load)
add_page(admin_reports_page, "/admin/reports", "Reports", AdminReportsState.on_load)
add_page(admin_returns_page, "/admin/returns", "Distributor returns", AdminReturnsState.on_load)
add_page(admin_users_page, "/admin/users", "Users and roles", AdminUsersState.on_load)
add_page(admin_movies_page, "/admin/movies", "Films", AdminMoviesState.on_load)
add_page(admin_pricing_page, "/admin/pricing", "Ticket prices", AdminPricingState.on_load)
add_page(admin_promotions_page, "/admin/promotions", "Promotion codes", AdminPromotionsState.on_load)
add_page(admin_rooms_page, "/admin/auditoriums", "Rooms", AdminRoomsState.on_load)
add_page(admin_schedule_page, "/admin/showtimes", "Schedule", AdminScheduleState.on_load)
add_page(admin_audit_page, "/admin/audit", "Audit log", AdminAuditState.on_load)
add_page(admin_outbox_page, "/admin/outbox", "Outbox", AdminOutboxState.on_load)
add_page(dev_mailbox_page, "/admin/mailbox", "Dev mailbox", DevMailboxState.on_load)
add_page(admin_reservations_page, "/admin/reservations", "Reservations", ReservationsState.on_load)
add_page(staff_checkin_page, "/staff/checkin", "Door check-in", CheckinState.on_load)
add_page(staff_sell_page, "/staff/sell", "Box office", CounterState.on_load)
add_page(staff_cashup_page, "/staff/cashup", "Cash-up", CashupState.on_load)
add_page(my_bookings_page, "/bookings", "My bookings", MyBookingsState.on_load)
add_page(unsubscribe_page, "/unsubscribe", "Email settings", UnsubscribeState.on_load)
