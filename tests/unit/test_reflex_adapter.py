"""The Reflex internals that ``moviebook/live/reflex_adapter.py`` relies on are still where, and
what, they were when it was written. A Reflex upgrade that moves one fails here, in seconds,
instead of leaving live seat maps silently frozen in production."""

from __future__ import annotations

import importlib.metadata
import inspect

import reflex as rx

from moviebook.live import reflex_adapter


def test_the_adapter_was_checked_against_the_installed_reflex():
    installed = importlib.metadata.version("reflex"), importlib.metadata.version("reflex-base")
    assert installed == (reflex_adapter.CHECKED_REFLEX_VERSION,) * 2, (
        f"Reflex is now {installed}: re-check every wrapper in moviebook/live/reflex_adapter.py, then update "
        "CHECKED_REFLEX_VERSION"
    )


def test_the_registration_context_still_holds_the_app():
    from reflex_base.registry import RegistrationContext

    assert callable(RegistrationContext.get)
    assert "_app" in {f.name for f in __import__("dataclasses").fields(RegistrationContext)}
    assert isinstance(inspect.getattr_static(RegistrationContext, "app"), property)


def test_a_delta_names_base_vars_the_way_reflex_does():
    import moviebook.moviebook  # noqa: F401  (registers the states)
    from moviebook.state.seat_picker import SeatPickerState

    root = rx.State(_reflex_internal_init=True)
    picker = root.get_substate(SeatPickerState.get_full_name().split(".")[1:])
    picker.seats_free = 7
    real = root.get_delta()
    ours = reflex_adapter.delta_for(SeatPickerState, {"seats_free": 7})
    name = SeatPickerState.get_full_name()
    assert real[name][reflex_adapter.field_key("seats_free")] == ours[name][reflex_adapter.field_key("seats_free")] == 7


def test_the_event_namespace_still_emits_updates_and_knows_connected_tabs():
    from reflex.app import EventNamespace
    from reflex.state import StateUpdate
    from reflex.utils.token_manager import TokenManager

    assert list(inspect.signature(EventNamespace.emit_update).parameters) == ["self", "update", "token"]
    assert "self._token_manager = TokenManager.create()" in inspect.getsource(EventNamespace.__init__)
    assert inspect.iscoroutinefunction(TokenManager.is_token_connected)
    assert list(inspect.signature(TokenManager.is_token_connected).parameters) == ["self", "token"]
    assert StateUpdate(delta={"a": {"b": 1}}).delta == {"a": {"b": 1}}
    assert "event_namespace" in inspect.getsource(rx.App)


def test_modify_state_takes_a_base_state_token():
    params = inspect.signature(rx.App.modify_state).parameters
    assert list(params)[:2] == ["self", "token"]
    token = rx.BaseStateToken(ident="tab", cls=rx.State)
    assert token.ident == "tab"
