"""``/admin/reports``: every table of the reports page, as JSON and as the same CSV file the
page downloads (admins only). Figures are text as the page shows them; money is an exact
decimal with the currency in the header."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from moviebook.api.deps import Admin
from moviebook.api.routes.admin_common import MAX_ID, refusals
from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.services import report_tables, reports
from moviebook.services.errors import FormInvalid
from moviebook.services.report_pages import period_problem, report_table, room_heatmap
from moviebook.services.report_tables import Table
from moviebook.services.tokens import Identity

router = APIRouter(tags=["admin: reports"])

HEATMAP = "seat-heatmap"  # needs a room: the page draws it for the room chosen
REPORT_NAMES = [*report_tables.TABLES, HEATMAP]


class ReportListOut(BaseModel):
    names: list[str] = Field(examples=[REPORT_NAMES])


class TableOut(BaseModel):
    key: str = Field(examples=["revenue-by-day"])
    title: str
    start: date
    end: date
    headers: list[str]
    rows: list[list[str]]
    totals: list[str] | None = Field(description="The last line, when adding up makes sense.")


def _table(me: Identity, name: str, start: date, end: date, movie_id: int | None, room_id: int | None) -> Table:
    if problem := period_problem(start, end):
        raise FormInvalid({"to": problem})
    settings = get_settings()
    rng = reports.ReportRange(start, end, settings.timezone, movie_id, room_id)
    with session_scope() as session:
        if name == HEATMAP:
            if room_id is None:
                raise FormInvalid({"room_id": "Choose a room for the heat map."})
            return report_tables.heatmap_table(room_heatmap(session, me, rng, room_id))
        return report_table(session, me, rng, name, settings.currency)


Start = Query(alias="from", description="First cinema-local day (showtimes playing then).")
End = Query(alias="to", description="Last day, inclusive; at most 366 days in all.")
MovieFilter = Query(default=None, ge=1, le=MAX_ID, description="Only this film's showtimes.")
RoomFilter = Query(default=None, ge=1, le=MAX_ID, description="Only this room's (the heat map needs one).")


@router.get("/admin/reports", response_model=ReportListOut, responses=refusals())
def report_names(me: Admin) -> ReportListOut:
    """The reports there are, in the page's order."""
    return ReportListOut(names=REPORT_NAMES)


@router.get(
    "/admin/reports/{name}.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **refusals(404)},
)
def report_csv(
    name: str,
    me: Admin,
    start: date = Start,
    end: date = End,
    movie_id: int | None = MovieFilter,
    room_id: int | None = RoomFilter,
) -> Response:
    """The report as the CSV file the reports page downloads."""
    table = _table(me, name, start, end, movie_id, room_id)
    return Response(
        table.csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{table.csv_filename(start, end)}"'},
    )


@router.get("/admin/reports/{name}", response_model=TableOut, responses=refusals(404))
def report(
    name: str,
    me: Admin,
    start: date = Start,
    end: date = End,
    movie_id: int | None = MovieFilter,
    room_id: int | None = RoomFilter,
) -> TableOut:
    """One report for the period, as a table: ``name`` is one of ``GET /admin/reports``."""
    table = _table(me, name, start, end, movie_id, room_id)
    return TableOut(
        key=table.key,
        title=table.title,
        start=start,
        end=end,
        headers=list(table.headers),
        rows=[list(row) for row in table.rows],
        totals=list(table.totals) if table.totals else None,
    )
