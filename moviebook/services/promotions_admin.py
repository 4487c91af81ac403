"""Admins run promotion codes at ``/admin/promotions``: what a code gives, when, and to whom.

The form's dates and times are the cinema's wall-clock times; they are stored in UTC. Only
admins may list or change codes (the service checks the caller itself), and every change is
audited with the values before and after. Redeeming a code is services/promotions.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from moviebook.models import FORMATS, Movie, Promotion, PromotionKind, PromotionMovie, Role, utcnow
from moviebook.services import audit
from moviebook.services.errors import FormInvalid, NotFound
from moviebook.services.money import format_cents
from moviebook.services.pricing_admin import parse_money, parse_percent_bp, percent_label
from moviebook.services.promotions import WEEKDAY_NAMES, listed
from moviebook.services.roles import require_role
from moviebook.services.tokens import Identity

REFUSAL = "Only admins can manage promotion codes."
KIND_LABELS = {
    PromotionKind.PERCENT.value: "Percentage off each ticket",
    PromotionKind.AMOUNT.value: "Amount off the order",
}
MAX_FILMS = 50
MAX_LIMIT = 1_000_000
FIRST_YEAR, LAST_YEAR = 2000, 2100

_CODE = re.compile(r"[A-Z0-9]{3,32}")
_LOCAL = re.compile(r"\s*([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{1,2}):([0-9]{2})(?::[0-9]{2})?\s*")


# --- the form ------------------------------------------------------------------------------------


def parse_local_datetime(text: object, tz: ZoneInfo) -> datetime | None:
    """'2026-12-24T18:30' on the cinema's clock as a UTC instant; None when it is not a time
    that exists there (a typo, or the hour skipped when the clocks go forward)."""
    match = _LOCAL.fullmatch(str(text or ""))
    if not match:
        return None
    try:
        naive = datetime.fromisoformat(f"{match.group(1)}T{int(match.group(2)):02d}:{match.group(3)}")
    except ValueError:
        return None
    if not FIRST_YEAR <= naive.year <= LAST_YEAR:
        return None
    instant = naive.replace(tzinfo=tz).astimezone(timezone.utc)
    if instant.astimezone(tz).replace(tzinfo=None) != naive:
        return None  # in the spring gap: the clocks jump over it
    return instant


def local_input(instant: datetime, tz: ZoneInfo) -> str:
    """A stored instant as a datetime-local input shows it: '2026-12-24T18:30'."""
    return f"{instant.astimezone(tz):%Y-%m-%dT%H:%M}"


def _optional_count(raw: dict, name: str, errors: dict[str, str], message: str) -> int | None:
    text = str(raw.get(name, "")).strip()
    if not text:
        return None
    if text.isdecimal() and len(text) <= 7 and 1 <= int(text) <= MAX_LIMIT:
        return int(text)
    errors[name] = message
    return None


def _checked(raw: dict, name: str) -> bool:
    return str(raw.get(name, "")).lower() in ("on", "true", "1", "yes")


@dataclass(frozen=True)
class PromotionForm:
    code: str
    description: str
    kind: str
    value: int
    valid_from: datetime
    valid_to: datetime
    movie_ids: tuple[int, ...]
    formats: tuple[str, ...]
    weekdays: tuple[int, ...]
    min_tickets: int
    max_redemptions: int | None
    max_per_customer: int | None


def parse_promotion_form(raw: dict, tz: ZoneInfo) -> PromotionForm:
    """The promotion form: code, description, kind, value, valid_from, valid_to (the cinema's
    clock), film_<id>, format_<2D|3D|IMAX> and weekday_<1..7> checkboxes, min_tickets,
    max_redemptions and max_per_customer (blank: no limit)."""
    errors: dict[str, str] = {}
    code = str(raw.get("code", "")).strip().upper()
    if not _CODE.fullmatch(code):
        errors["code"] = "Use 3 to 32 letters A–Z and digits 0–9, with no spaces."
    description = " ".join(str(raw.get("description", "")).split())
    if len(description) > 200:
        errors["description"] = "Use at most 200 characters."
    kind = str(raw.get("kind", ""))
    value = 0
    value_text = str(raw.get("value", "")).strip()
    if kind not in KIND_LABELS:
        errors["kind"] = "Choose a percentage or an amount off."
    elif kind == PromotionKind.PERCENT.value:
        value = parse_percent_bp(value_text) or 0
        if value <= 0:
            errors["value"] = "Enter a percentage above 0 and up to 100, with at most 2 decimals (e.g. 10 or 12.5)."
    else:
        value = parse_money(value_text) or 0
        if value <= 0:
            errors["value"] = "Enter an amount above 0, such as 2.50."
    valid_from = parse_local_datetime(raw.get("valid_from"), tz)
    if valid_from is None:
        errors["valid_from"] = "Enter the date and time the code starts."
    valid_to = parse_local_datetime(raw.get("valid_to"), tz)
    if valid_to is None:
        errors["valid_to"] = "Enter the date and time the code ends."
    elif valid_from is not None and valid_to <= valid_from:
        errors["valid_to"] = "The end must be after the start."
    movie_ids = tuple(
        sorted(
            int(key[5:])
            for key in raw
            if key.startswith("film_") and key[5:].isdecimal() and len(key) <= 14 and _checked(raw, key)
        )
    )
    if len(movie_ids) > MAX_FILMS:
        errors["films"] = f"Choose at most {MAX_FILMS} films, or none for every film."
    formats = tuple(f for f in FORMATS if _checked(raw, f"format_{f}"))
    weekdays = tuple(d for d in range(1, 8) if _checked(raw, f"weekday_{d}"))
    min_text = str(raw.get("min_tickets", "")).strip() or "1"
    min_tickets = int(min_text) if min_text.isdecimal() and len(min_text) <= 2 else 0
    if not 1 <= min_tickets <= 50:
        errors["min_tickets"] = "Enter a number of tickets from 1 to 50."
    max_redemptions = _optional_count(
        raw, "max_redemptions", errors, "Enter a whole number of uses (1 or more), or leave it empty for no limit."
    )
    max_per_customer = _optional_count(
        raw, "max_per_customer", errors, "Enter a whole number of uses (1 or more), or leave it empty for no limit."
    )
    if errors:
        raise FormInvalid(errors)
    return PromotionForm(
        code,
        description,
        kind,
        value,
        valid_from,
        valid_to,
        movie_ids,
        formats,
        weekdays,
        min_tickets,
        max_redemptions,
        max_per_customer,
    )


# --- in words ------------------------------------------------------------------------------------


def offer_in_words(kind: str, value: int, currency: str) -> str:
    if kind == PromotionKind.PERCENT.value:
        return f"{percent_label(value)} off each ticket"
    return f"{format_cents(value, currency)} off the order"


def limits_in_words(promotion: Promotion, film_titles: list[str]) -> list[str]:
    """What the code is limited to, one phrase a limit; empty when it applies to every order."""
    words = []
    if film_titles:
        words.append("Films: " + ", ".join(film_titles))
    if promotion.formats:
        words.append(" / ".join(listed(promotion.formats)) + " only")
    days = [int(d) for d in listed(promotion.weekdays) if d.isdecimal() and 1 <= int(d) <= 7]
    if days:
        words.append(", ".join(WEEKDAY_NAMES[d - 1][:3] for d in days))
    if promotion.min_tickets > 1:
        words.append(f"At least {promotion.min_tickets} tickets")
    if promotion.max_per_customer is not None:
        times = "Once" if promotion.max_per_customer == 1 else f"{promotion.max_per_customer} times"
        words.append(f"{times} per customer")
    return words


def usage_in_words(promotion: Promotion) -> str:
    if promotion.max_redemptions is None:
        return f"Used {promotion.redemption_count} (no limit)"
    return f"Used {promotion.redemption_count} of {promotion.max_redemptions}"


def status_of(promotion: Promotion, now: datetime) -> str:
    if not promotion.is_active:
        return "Inactive"
    if now < promotion.valid_from:
        return "Scheduled"
    if now >= promotion.valid_to:
        return "Expired"
    if promotion.max_redemptions is not None and promotion.redemption_count >= promotion.max_redemptions:
        return "Used up"
    return "Live"


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromotionRow:
    promotion: Promotion
    film_titles: list[str]


def _films_of(session: Session, promotion_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    if not promotion_ids:
        return {}
    found: dict[int, list[tuple[int, str]]] = {}
    rows = session.exec(
        select(PromotionMovie.promotion_id, Movie.id, Movie.title)
        .join(Movie, Movie.id == PromotionMovie.movie_id)
        .where(col(PromotionMovie.promotion_id).in_(promotion_ids))
        .order_by(Movie.title)
    )
    for promotion_id, movie_id, title in rows:
        found.setdefault(promotion_id, []).append((movie_id, title))
    return found


def list_promotions(session: Session, actor: Identity) -> list[PromotionRow]:
    """Every code, the newest first."""
    require_role(actor, Role.ADMIN.value, REFUSAL)
    promotions = list(session.exec(select(Promotion).order_by(col(Promotion.valid_from).desc(), Promotion.id)))
    films = _films_of(session, [p.id for p in promotions])
    return [PromotionRow(p, [title for _, title in films.get(p.id, [])]) for p in promotions]


def current_films(session: Session, actor: Identity) -> list[tuple[int, str]]:
    """The films a code can be limited to: those still in the catalog, by title."""
    require_role(actor, Role.ADMIN.value, REFUSAL)
    return [
        (m.id, m.title)
        for m in session.exec(select(Movie).where(col(Movie.deleted_at).is_(None)).order_by(Movie.title, Movie.id))
    ]


def _get(session: Session, promotion_id: int, *, lock: bool = False) -> Promotion:
    query = select(Promotion).where(Promotion.id == promotion_id)
    found = session.exec(query.with_for_update() if lock else query).first()
    if found is None:
        raise NotFound("That promotion no longer exists. Reload the page.")
    return found


def promotion_for_editing(session: Session, actor: Identity, promotion_id: int) -> tuple[Promotion, list[int]]:
    require_role(actor, Role.ADMIN.value, REFUSAL)
    promotion = _get(session, promotion_id)
    return promotion, [movie_id for movie_id, _ in _films_of(session, [promotion.id]).get(promotion.id, [])]


# --- changing -----------------------------------------------------------------------------------


def _snapshot(session: Session, p: Promotion) -> dict:
    return {
        "code": p.code,
        "description": p.description,
        "kind": p.kind,
        "value": p.value,
        "valid_from": p.valid_from.isoformat(),
        "valid_to": p.valid_to.isoformat(),
        "movie_ids": [movie_id for movie_id, _ in _films_of(session, [p.id]).get(p.id, [])],
        "formats": p.formats,
        "weekdays": p.weekdays,
        "min_tickets": p.min_tickets,
        "max_redemptions": p.max_redemptions,
        "max_per_customer": p.max_per_customer,
        "is_active": p.is_active,
    }


def _code_taken(code: str) -> FormInvalid:
    return FormInvalid({"code": f"The code {code} is already in use. Choose another."})


def _check(session: Session, form: PromotionForm, own: Promotion | None) -> None:
    clash = select(Promotion.id).where(Promotion.code == form.code)
    if own is not None:
        clash = clash.where(Promotion.id != own.id)
    if session.exec(clash).first() is not None:
        raise _code_taken(form.code)
    if form.movie_ids:
        known = set(
            session.exec(select(Movie.id).where(col(Movie.id).in_(form.movie_ids), col(Movie.deleted_at).is_(None)))
        )
        if known != set(form.movie_ids):
            raise FormInvalid({"films": "One of the chosen films is no longer in the catalog. Reload the page."})
    if own is not None and form.max_redemptions is not None and form.max_redemptions < own.redemption_count:
        raise FormInvalid(
            {
                "max_redemptions": f"This code has already been used {own.redemption_count} times; "
                "the limit cannot be lower than that."
            }
        )


def _apply(session: Session, p: Promotion, form: PromotionForm) -> None:
    p.code, p.description, p.kind, p.value = form.code, form.description, form.kind, form.value
    p.valid_from, p.valid_to = form.valid_from, form.valid_to
    p.formats, p.weekdays = ",".join(form.formats), ",".join(str(d) for d in form.weekdays)
    p.min_tickets, p.max_redemptions, p.max_per_customer = form.min_tickets, form.max_redemptions, form.max_per_customer
    try:
        session.flush()
    except sa.exc.IntegrityError as clash:  # two admins saving the same new code at once
        raise _code_taken(form.code) from clash
    for link in session.exec(select(PromotionMovie).where(PromotionMovie.promotion_id == p.id)):
        session.delete(link)
    session.flush()
    for movie_id in form.movie_ids:
        session.add(PromotionMovie(promotion_id=p.id, movie_id=movie_id))
    session.flush()


def _audit(session: Session, action: str, actor: Identity, p: Promotion, old: dict | None, ip: str | None) -> None:
    audit.record(
        session,
        action,
        actor_id=actor.user_id,
        entity_type="promotion",
        entity_id=p.id,
        old=old,
        new=_snapshot(session, p),
        ip=ip,
    )


def create_promotion(session: Session, actor: Identity, form: PromotionForm, ip: str | None = None) -> Promotion:
    require_role(actor, Role.ADMIN.value, REFUSAL)
    _check(session, form, None)
    promotion = Promotion(
        code=form.code, kind=form.kind, value=form.value, valid_from=form.valid_from, valid_to=form.valid_to
    )
    session.add(promotion)
    _apply(session, promotion, form)
    _audit(session, "promotion.create", actor, promotion, None, ip)
    return promotion


def update_promotion(
    session: Session, actor: Identity, promotion_id: int, form: PromotionForm, ip: str | None = None
) -> Promotion:
    """Change a code. Bookings that used it keep the discount they were sold with."""
    require_role(actor, Role.ADMIN.value, REFUSAL)
    promotion = _get(session, promotion_id, lock=True)
    _check(session, form, promotion)
    old = _snapshot(session, promotion)
    _apply(session, promotion, form)
    new = _snapshot(session, promotion)
    if new == old:
        return promotion
    promotion.updated_at = utcnow()
    session.flush()
    _audit(session, "promotion.update", actor, promotion, old, ip)
    return promotion


def set_promotion_active(
    session: Session, actor: Identity, promotion_id: int, active: bool, ip: str | None = None
) -> Promotion:
    """Switch a code off (customers are told it is unknown) or back on."""
    require_role(actor, Role.ADMIN.value, REFUSAL)
    promotion = _get(session, promotion_id, lock=True)
    if promotion.is_active == active:
        return promotion
    old = _snapshot(session, promotion)
    promotion.is_active, promotion.updated_at = active, utcnow()
    session.flush()
    _audit(session, "promotion.activate" if active else "promotion.deactivate", actor, promotion, old, ip)
    return promotion
